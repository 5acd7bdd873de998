//! Paging through an operation's results, sans-IO.
//!
//! A paginated operation's input has a `next_page(&output)` method (generated)
//! that says what to ask for next; a loop of your own sends that input until
//! the answer is [`NextPage::Done`]. The generated client's paginators run the
//! same loop.

/// What follows a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage<I> {
    /// Ask for this input next: the last one with the new token.
    Input(I),
    /// That was the last page: the answer had no token, or an empty one.
    Done,
    /// The answer's token is the one the request sent: asking again would return
    /// the same page forever, so the AWS SDKs stop here.
    RepeatedToken,
}

/// The next page after an answer whose token is `received`, to a request that
/// sent `sent`: `input` with `set_token` applied, or why there is none.
pub fn next_page<I: Clone>(
    input: &I,
    sent: Option<&str>,
    received: Option<&str>,
    set_token: fn(&mut I, String),
) -> NextPage<I> {
    match received {
        None | Some("") => NextPage::Done,
        Some(token) if Some(token) == sent => NextPage::RepeatedToken,
        Some(token) => {
            let mut next = input.clone();
            set_token(&mut next, token.to_owned());
            NextPage::Input(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Input {
        marker: Option<String>,
        other: u8,
    }

    fn next(sent: Option<&str>, received: Option<&str>) -> NextPage<Input> {
        let input = Input {
            marker: sent.map(str::to_owned),
            other: 7,
        };
        next_page(&input, sent, received, |i, t| i.marker = Some(t))
    }

    #[test]
    fn a_new_token_makes_the_next_input_keeping_the_other_members() {
        assert_eq!(
            next(None, Some("t1")),
            NextPage::Input(Input {
                marker: Some("t1".into()),
                other: 7
            })
        );
        assert_eq!(
            next(Some("t1"), Some("t2")),
            NextPage::Input(Input {
                marker: Some("t2".into()),
                other: 7
            })
        );
    }

    #[test]
    fn no_token_or_an_empty_one_ends_and_a_repeated_one_stops() {
        assert_eq!(next(Some("t1"), None), NextPage::Done);
        assert_eq!(next(Some("t1"), Some("")), NextPage::Done);
        assert_eq!(next(Some("t1"), Some("t1")), NextPage::RepeatedToken);
        assert_eq!(next(None, None), NextPage::Done);
    }
}
