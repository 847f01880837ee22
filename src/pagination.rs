//! List calls as streams that fetch the next page only when the previous one is consumed.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use pilot_status::prelude::*;
//!
//! # async fn run(client: Client) -> Result<(), Error> {
//! let mut messages = client.messages().history().page_size(100).stream();
//! while let Some(message) = messages.try_next().await? {
//!     println!("{:?} {:?}", message.id, message.text);
//! }
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::BoxStream;

use crate::{Error, builder, types};

/// One fetched slice of a list and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk<T, C> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page, or `None` when this was the last.
    pub next: Option<C>,
}

/// A list call that answers one page at a time. Implemented for the builders of the
/// paginated operations: `page`/`pageSize` envelopes, and the `before` cursor of calls.
pub trait Paginated: Clone + Send + Sized {
    /// What the list holds.
    type Item: Send;
    /// What selects a page: a page number, or a timestamp cursor.
    type Cursor: Clone + PartialEq + Send;

    /// The cursor of the first page.
    fn first(&self) -> Self::Cursor;

    /// Fetches the page at `cursor`.
    fn fetch(
        self,
        cursor: Self::Cursor,
    ) -> impl Future<Output = Result<Chunk<Self::Item, Self::Cursor>, Error>> + Send;

    /// Every item of every page, in order. The first page is fetched when the stream is first
    /// polled and each next page only once the previous one is used up; it ends after the
    /// last page (or at the first error, which it yields). Boxed, so it is `Unpin`:
    /// `stream.try_next().await` works as is.
    fn stream(self) -> BoxStream<'static, Result<Self::Item, Error>>
    where
        Self: 'static,
    {
        let first = self.first();
        let state = State {
            request: self,
            next: Some(first),
            buffer: VecDeque::new(),
        };
        Box::pin(futures_util::stream::unfold(
            state,
            |mut state| async move {
                loop {
                    if let Some(item) = state.buffer.pop_front() {
                        return Some((Ok(item), state));
                    }
                    let cursor = state.next.take()?;
                    match state.request.clone().fetch(cursor.clone()).await {
                        Ok(chunk) => {
                            // A page that does not move the cursor would repeat forever.
                            state.next = chunk.next.filter(|next| *next != cursor);
                            state.buffer.extend(chunk.items);
                        }
                        Err(error) => return Some((Err(error), state)),
                    }
                }
            },
        ))
    }
}

struct State<R: Paginated> {
    request: R,
    next: Option<R::Cursor>,
    buffer: VecDeque<R::Item>,
}

/// The next page number of a `{page, totalPages}` envelope: none after the last page or an
/// empty one.
fn next_page(page: i64, total_pages: Option<i64>, empty: bool) -> Option<i64> {
    let last = empty || total_pages.is_some_and(|total| page >= total);
    (!last).then_some(page + 1)
}

/// `page`/`pageSize` list operations: builder, item type, items member.
macro_rules! page_numbered {
    ($($builder:ident => $item:ident . $items:ident),* $(,)?) => {$(
        impl Paginated for builder::$builder {
            type Item = types::$item;
            type Cursor = i64;

            fn first(&self) -> i64 {
                1
            }

            async fn fetch(self, page: i64) -> Result<Chunk<Self::Item, i64>, Error> {
                let envelope = self.page(page).send().await?.into_inner();
                let next = next_page(page, envelope.total_pages.into(), envelope.$items.is_empty());
                Ok(Chunk { items: envelope.$items, next })
            }
        }
    )*};
}

page_numbered! {
    MessagesHistory => Message.messages,
    MessagesUnread => InboxMessage.messages,
    MessagesGroupHistory => InboxMessage.messages,
    ConversationsList => Conversation.conversations,
    LeadsList => Lead.leads,
    ReferralsList => ReferralMessage.referrals,
}

/// `GET /v1/calls`: newest first; each next page asks for calls created strictly before
/// the last one seen (`before` = its `createdAt`).
impl Paginated for builder::CallsList {
    type Item = types::Call;
    type Cursor = Option<String>;

    fn first(&self) -> Option<String> {
        None
    }

    async fn fetch(
        self,
        before: Option<String>,
    ) -> Result<Chunk<Self::Item, Option<String>>, Error> {
        let request = match before {
            Some(before) => self.before(before),
            None => self,
        };
        let calls = request.send().await?.into_inner().calls;
        let next = calls
            .last()
            .and_then(|call| call.created_at.clone())
            .map(Some);
        Ok(Chunk { items: calls, next })
    }
}

#[cfg(test)]
mod tests {
    use super::next_page;

    #[test]
    fn page_numbers_stop_at_the_last_or_an_empty_page() {
        assert_eq!(next_page(1, Some(3), false), Some(2));
        assert_eq!(next_page(3, Some(3), false), None);
        assert_eq!(next_page(1, None, false), Some(2));
        assert_eq!(next_page(2, None, true), None);
        assert_eq!(next_page(1, Some(0), true), None);
    }
}
