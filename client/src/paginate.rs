//! Paginators: a paginated operation's pages, or their items, each page an
//! ordinary call through the client (signing, retries, timeouts, and the
//! overrides `customize` gave the call the paginator was made from).
//!
//! Generated code describes an operation's paging with a [`Pagination`] and
//! hands it out as `client.{operation}().into_paginator()`. The loop is the
//! Smithy specification's and the AWS SDKs': send, emit the page, stop when the
//! answer's token is absent or empty, else send again with it. A service that
//! answers with the token it was sent ends the stream with an error instead of
//! being asked for the same page forever.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use querygen_runtime::pagination::NextPage;
use querygen_runtime::query::{ErrorCode, QueryResponse};

use crate::call::Call;
use crate::error::{ConstructionError, SdkError};
use crate::handle::Operation;
use crate::transport::BoxFuture;

/// How one operation pages, described by generated code.
pub struct Pagination<I, O, T> {
    /// The next page's input, from a page's input and output (the generated
    /// `next_page` method of the input).
    pub next_page: fn(&I, &O) -> NextPage<I>,
    /// Sets the page-size member, if the operation has one.
    pub set_page_size: Option<fn(&mut I, i32)>,
    /// Takes a page's items out of it.
    pub items: fn(O) -> Vec<T>,
}

/// The item type of an operation whose model names no items: there are none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoItems {}

/// The items of a page of an operation whose model names none.
pub fn no_items<O>(_page: O) -> Vec<NoItems> {
    Vec::new()
}

/// A paginated call being prepared: set the page size, then [`send`](Self::send)
/// for the pages or [`items`](Self::items) for their items.
pub struct Paginator<I: 'static, O: 'static, E: 'static, T: 'static> {
    call: Call,
    operation: &'static Operation<I, O, E>,
    pagination: &'static Pagination<I, O, T>,
    input: Result<I, ConstructionError>,
}

impl<I, O, E, T> fmt::Debug for Paginator<I, O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation.name)
            .finish_non_exhaustive()
    }
}

impl<I, O, E, T> Paginator<I, O, E, T>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ErrorCode + Send + 'static,
    T: 'static,
{
    /// A paginator for `operation` starting from `input` (made by generated code;
    /// an `Err` is what the first page returns).
    pub fn new(
        call: Call,
        operation: &'static Operation<I, O, E>,
        pagination: &'static Pagination<I, O, T>,
        input: Result<I, ConstructionError>,
    ) -> Self {
        Self {
            call,
            operation,
            pagination,
            input,
        }
    }

    /// Asks for at most `size` results per page (the operation's page-size
    /// member, overwriting what the input had). An operation without one
    /// refuses it: the first page is then that error.
    pub fn page_size(mut self, size: i32) -> Self {
        self.input = match (self.input, self.pagination.set_page_size) {
            (Ok(mut input), Some(set)) => {
                set(&mut input, size);
                Ok(input)
            }
            (Ok(_), None) => Err(ConstructionError::new(format!(
                "{}: the operation has no page-size member",
                self.operation.name
            ))),
            (Err(e), _) => Err(e),
        };
        self
    }

    /// The pages. Nothing is sent until the stream is polled.
    pub fn send(self) -> PaginationStream<I, O, E> {
        PaginationStream {
            call: self.call,
            operation: self.operation,
            next_page: self.pagination.next_page,
            state: match self.input {
                Ok(input) => State::Ready(input),
                Err(e) => State::Failed(SdkError::Construction(e)),
            },
        }
    }

    /// The pages' items instead of the pages.
    pub fn items(self) -> ItemPaginator<I, O, E, T> {
        ItemPaginator { pages: self }
    }
}

/// A paginated call being prepared, for its items: [`send`](Self::send).
pub struct ItemPaginator<I: 'static, O: 'static, E: 'static, T: 'static> {
    pages: Paginator<I, O, E, T>,
}

impl<I, O, E, T> fmt::Debug for ItemPaginator<I, O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemPaginator")
            .field("operation", &self.pages.operation.name)
            .finish_non_exhaustive()
    }
}

impl<I, O, E, T> ItemPaginator<I, O, E, T>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ErrorCode + Send + 'static,
    T: 'static,
{
    /// The items, page after page. Nothing is sent until the stream is polled.
    pub fn send(self) -> ItemStream<I, O, E, T> {
        let items = self.pages.pagination.items;
        ItemStream {
            pages: self.pages.send(),
            items,
            buffer: Vec::new().into_iter(),
        }
    }
}

/// One call in flight, giving back its input with the result.
type PageCall<I, O, E> = BoxFuture<'static, (I, Result<QueryResponse<O>, SdkError<E>>)>;

enum State<I, O, E> {
    /// The next page's input, not sent yet.
    Ready(I),
    InFlight(PageCall<I, O, E>),
    /// To be returned next, then the end.
    Failed(SdkError<E>),
    Done,
}

/// The pages of a paginated call: `while let Some(page) = stream.next().await`,
/// or [`try_collect`](Self::try_collect). Also a `futures_core::Stream`.
///
/// After an error the stream ends.
pub struct PaginationStream<I: 'static, O: 'static, E: 'static> {
    call: Call,
    operation: &'static Operation<I, O, E>,
    next_page: fn(&I, &O) -> NextPage<I>,
    state: State<I, O, E>,
}

// The stream never pins what it holds: the call in flight is boxed.
impl<I, O, E> Unpin for PaginationStream<I, O, E> {}

impl<I, O, E> fmt::Debug for PaginationStream<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Ready(_) => "ready",
            State::InFlight(_) => "in flight",
            State::Failed(_) => "failed",
            State::Done => "done",
        };
        f.debug_struct("PaginationStream")
            .field("operation", &self.operation.name)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

impl<I, O, E> PaginationStream<I, O, E>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ErrorCode + Send + 'static,
{
    /// The next page, `None` after the last (or after an error).
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O>, SdkError<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, SdkError<E>>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(e) => return Poll::Ready(Some(Err(e))),
                State::Ready(input) => {
                    let call = self.call.clone();
                    let operation = self.operation;
                    self.state = State::InFlight(Box::pin(async move {
                        let result = call.invoke(operation, &input).await;
                        (input, result)
                    }));
                }
                State::InFlight(mut call) => match call.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::InFlight(call);
                        return Poll::Pending;
                    }
                    Poll::Ready((_, Err(e))) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready((input, Ok(response))) => {
                        let page = response.output;
                        self.state = match (self.next_page)(&input, &page) {
                            NextPage::Input(next) => State::Ready(next),
                            NextPage::Done => State::Done,
                            NextPage::RepeatedToken => {
                                State::Failed(SdkError::Construction(ConstructionError::new(
                                    format!(
                                        "{}: the service answered with the pagination token it was sent; stopping instead of asking for the same page again",
                                        self.operation.name
                                    ),
                                )))
                            }
                        };
                        return Poll::Ready(Some(Ok(page)));
                    }
                },
            }
        }
    }
}

impl<I, O, E> futures_core::Stream for PaginationStream<I, O, E>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ErrorCode + Send + 'static,
{
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of a paginated call's pages, one by one: `while let Some(item) =
/// stream.next().await`, or [`try_collect`](Self::try_collect). Also a
/// `futures_core::Stream`. An empty page with a token goes on to the next.
pub struct ItemStream<I: 'static, O: 'static, E: 'static, T> {
    pages: PaginationStream<I, O, E>,
    items: fn(O) -> Vec<T>,
    buffer: std::vec::IntoIter<T>,
}

impl<I, O, E, T> Unpin for ItemStream<I, O, E, T> {}

impl<I, O, E, T> fmt::Debug for ItemStream<I, O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<I, O, E, T> ItemStream<I, O, E, T>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ErrorCode + Send + 'static,
{
    /// The next item, `None` after the last page's last item (or after an error).
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every item of every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, SdkError<E>>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => self.buffer = (self.items)(page).into_iter(),
            }
        }
    }
}

impl<I, O, E, T> futures_core::Stream for ItemStream<I, O, E, T>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ErrorCode + Send + 'static,
{
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
