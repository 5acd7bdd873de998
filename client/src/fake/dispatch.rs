//! From one HTTP request to one answer: authentication, routing by `Action`, the
//! generated parser, the trait method, the generated writer.

use std::future::Future;

use bytes::Bytes;
use querygen_runtime::query::UnhandledError;
use querygen_runtime::server::{QueryError, QueryTree};

use super::{Auth, Recorder};
use crate::transport::BoxFuture;

/// The HTTP status and error code a fake answers for an operation its trait
/// implementation does not override: `501 NotImplemented` (a server fault, so the
/// `<ErrorResponse>` says `Receiver`; 501 is not a status the client retries).
pub const NOT_IMPLEMENTED: (u16, &str) = (501, "NotImplemented");

/// A service as the fakes see it: what the generated crate's `fake` feature
/// implements over its typed trait, one match arm per operation.
pub trait Dispatch: Send + Sync + 'static {
    /// The SigV4 signing name (`elasticache`) a request's credential scope must name.
    fn signing_name(&self) -> &'static str;

    /// Starts answering `incoming` with the operation its `Action` names;
    /// `None` when the service (as compiled, with its operation features) has none.
    fn dispatch<'a>(&'a self, incoming: &'a Incoming) -> Option<BoxFuture<'a, Answer>>;
}

/// A request that passed authentication and names an `Action`.
#[derive(Debug)]
pub struct Incoming {
    action: String,
    form: Bytes,
    request_id: String,
    recorder: Recorder,
}

impl Incoming {
    /// The `Action` parameter.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The form-urlencoded parameters (the body of a `POST`, the query of a `GET`).
    pub fn form(&self) -> &[u8] {
        &self.form
    }

    /// The request id the answer carries.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

/// An HTTP status and an XML body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `<…Response>` or `<ErrorResponse>`.
    pub body: String,
}

impl Answer {
    /// An `<ErrorResponse>` with `code` and `message`, as the service answers errors
    /// the model does not describe (`Sender` below 500, `Receiver` from 500).
    pub fn error(status: u16, code: &str, message: impl Into<String>, request_id: &str) -> Self {
        let error = UnhandledError {
            code: Some(code.to_owned()),
            message: Some(message.into()),
            request_id: None,
            status,
            body_excerpt: String::new(),
            parse_error: None,
        };
        Self {
            status,
            body: error.to_response_body(request_id),
        }
    }
}

/// What a typed trait method answers when a fake does not implement it: the
/// operation's `Unhandled` error with [`NOT_IMPLEMENTED`] and a message naming the
/// operation. The input is dropped.
pub fn not_implemented<I, O, E>(
    input: I,
    unhandled: fn(Box<UnhandledError>) -> E,
    action: &str,
) -> std::future::Ready<Result<O, E>> {
    drop(input);
    let (status, code) = NOT_IMPLEMENTED;
    std::future::ready(Err(unhandled(Box::new(UnhandledError {
        code: Some(code.to_owned()),
        message: Some(format!(
            "{action} is not implemented by this fake: implement its method of the service trait"
        )),
        request_id: None,
        status,
        body_excerpt: String::new(),
        parse_error: None,
    }))))
}

/// Answers one operation (a generated dispatch arm): parses the form with the
/// generated `parse` (which checks `Action` and `Version`), records the input,
/// calls the trait method and writes its output with `write` or its error with
/// `write_error`.
///
/// A form the parser rejects is answered as the service would: `400 InvalidAction`
/// for a wrong `Action` or `Version`, `400 ValidationError` for a member.
pub fn answer<'a, I, O, E, F, Fut>(
    incoming: &'a Incoming,
    parse: fn(&[u8]) -> Result<I, QueryError>,
    call: F,
    write: fn(&O, &str) -> String,
    write_error: fn(&E, &str) -> (u16, String),
) -> Option<BoxFuture<'a, Answer>>
where
    I: Clone + Send + 'static,
    O: 'a,
    E: 'a,
    F: FnOnce(I) -> Fut + Send + 'a,
    Fut: Future<Output = Result<O, E>> + Send + 'a,
{
    Some(Box::pin(answer_with(
        incoming,
        parse,
        call,
        write,
        write_error,
    )))
}

async fn answer_with<I, O, E, F, Fut>(
    incoming: &Incoming,
    parse: fn(&[u8]) -> Result<I, QueryError>,
    call: F,
    write: fn(&O, &str) -> String,
    write_error: fn(&E, &str) -> (u16, String),
) -> Answer
where
    I: Clone + Send + 'static,
    F: FnOnce(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let request_id = incoming.request_id();
    let input = match parse(incoming.form()) {
        Ok(input) => input,
        Err(problem) => {
            let code = if problem.key == "Action" || problem.key == "Version" {
                "InvalidAction"
            } else {
                "ValidationError"
            };
            return Answer::error(400, code, problem.to_string(), request_id);
        }
    };
    incoming.recorder.record(incoming.action(), input.clone());
    match call(input).await {
        Ok(output) => Answer {
            status: 200,
            body: write(&output, request_id),
        },
        Err(error) => {
            let (status, body) = write_error(&error, request_id);
            Answer { status, body }
        }
    }
}

/// Answers one HTTP request as the service would: checks its signature's shape (or
/// the signature, see [`Auth`]), reads its form parameters, routes by `Action`
/// through `dispatch`, and records what the operation parsed in `recorder`.
pub async fn handle<B: AsRef<[u8]>>(
    dispatch: &dyn Dispatch,
    auth: &Auth,
    recorder: &Recorder,
    request_id: String,
    request: &http::Request<B>,
) -> http::Response<Bytes> {
    let answer = route(dispatch, auth, recorder, request_id.clone(), request).await;
    answer.into_response(&request_id)
}

impl Answer {
    /// The HTTP response: the status, `content-type: text/xml`, the request id header.
    pub(crate) fn into_response(self, request_id: &str) -> http::Response<Bytes> {
        let answer = self;
        let mut response = http::Response::new(Bytes::from(answer.body));
        *response.status_mut() = http::StatusCode::from_u16(answer.status)
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/xml"),
        );
        if let Ok(id) = http::HeaderValue::from_str(request_id) {
            headers.insert("x-amzn-requestid", id);
        }
        response
    }
}

async fn route<B: AsRef<[u8]>>(
    dispatch: &dyn Dispatch,
    auth: &Auth,
    recorder: &Recorder,
    request_id: String,
    request: &http::Request<B>,
) -> Answer {
    let form = match *request.method() {
        http::Method::POST => Bytes::copy_from_slice(request.body().as_ref()),
        http::Method::GET => Bytes::copy_from_slice(request.uri().query().unwrap_or("").as_bytes()),
        ref other => {
            return Answer::error(
                405,
                "MethodNotAllowed",
                format!("awsQuery requests are POST or GET, not {other}"),
                &request_id,
            )
        }
    };
    if let Err(rejection) = auth.check(request, dispatch.signing_name()) {
        return Answer::error(
            rejection.status,
            rejection.code,
            rejection.message,
            &request_id,
        );
    }
    let tree = match QueryTree::parse(&form) {
        Ok(tree) => tree,
        Err(problem) => {
            return Answer::error(
                400,
                "MalformedQueryString",
                problem.to_string(),
                &request_id,
            )
        }
    };
    let Some(action) = tree.child("Action").and_then(|a| a.text().ok()) else {
        return Answer::error(
            400,
            "MissingAction",
            "the request names no Action",
            &request_id,
        );
    };
    let incoming = Incoming {
        action: action.to_owned(),
        form,
        request_id,
        recorder: recorder.clone(),
    };
    let answer = match dispatch.dispatch(&incoming) {
        Some(answering) => answering.await,
        None => Answer::error(
            400,
            "InvalidAction",
            format!(
                "{:?} is not an operation of this service (or its operation feature is off)",
                incoming.action
            ),
            &incoming.request_id,
        ),
    };
    answer
}
