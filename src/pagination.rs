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

use std::future::Future;

use futures_util::StreamExt as _;
use futures_util::stream::BoxStream;

use crate::{Deviation, Error, Timestamp, builder, types};

/// One fetched slice of a list and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk<T, C> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page, or `None` when this was the last.
    pub next: Option<C>,
    /// Where the page's body differed from its type (paths from the page's root, such as
    /// `$.messages[3].text`); empty when it fit. See [`ResponseValue::deviations`].
    ///
    /// [`ResponseValue::deviations`]: crate::ResponseValue::deviations
    pub deviations: Vec<Deviation>,
}

/// The pages of a list, as [`Paginated::pages`] streams them.
pub type Pages<T, C> = BoxStream<'static, Result<Chunk<T, C>, Error>>;

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

    /// Every page, in order, with its deviations: the first page is fetched when the stream
    /// is first polled and each next one only once the previous one was taken; it ends after
    /// the last page (or at the first error, which it yields). A page that does not move the
    /// cursor ends the stream (it would repeat forever).
    fn pages(self) -> Pages<Self::Item, Self::Cursor>
    where
        Self: 'static,
    {
        let first = self.first();
        Box::pin(futures_util::stream::unfold(
            (self, Some(first)),
            |(request, cursor)| async move {
                let cursor = cursor?;
                match request.clone().fetch(cursor.clone()).await {
                    Ok(mut chunk) => {
                        chunk.next = chunk.next.take().filter(|next| *next != cursor);
                        let next = chunk.next.clone();
                        Some((Ok(chunk), (request, next)))
                    }
                    Err(error) => Some((Err(error), (request, None))),
                }
            },
        ))
    }

    /// Every item of every page, in order, fetched page by page as [`Paginated::pages`] says
    /// (a page's deviations are logged as `tracing` warnings; read them with `pages`). Boxed,
    /// so it is `Unpin`: `stream.try_next().await` works as is.
    fn stream(self) -> BoxStream<'static, Result<Self::Item, Error>>
    where
        Self: 'static,
    {
        self.pages()
            .flat_map(|page| {
                let items: Vec<Result<Self::Item, Error>> = match page {
                    Ok(chunk) => chunk.items.into_iter().map(Ok).collect(),
                    Err(error) => vec![Err(error)],
                };
                futures_util::stream::iter(items)
            })
            .boxed()
    }
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
                let response = self.page(page).send().await?;
                let deviations = response.deviations().to_vec();
                let envelope = response.into_inner();
                let next = next_page(page, envelope.total_pages.into(), envelope.$items.is_empty());
                Ok(Chunk { items: envelope.$items, next, deviations })
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
    type Cursor = Option<Timestamp>;

    fn first(&self) -> Option<Timestamp> {
        None
    }

    async fn fetch(
        self,
        before: Option<Timestamp>,
    ) -> Result<Chunk<Self::Item, Option<Timestamp>>, Error> {
        let request = match before {
            Some(before) => self.before(before),
            None => self,
        };
        let response = request.send().await?;
        let deviations = response.deviations().to_vec();
        let calls = response.into_inner().calls;
        let next = calls.last().and_then(|call| call.created_at).map(Some);
        Ok(Chunk {
            items: calls,
            next,
            deviations,
        })
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
