//! The docs site as a source of spec fragments: its `llms.txt` index and the OpenAPI
//! blocks embedded in its operation pages. (Feature `docs`; only `cargo xtask` needs it.)

pub mod events;
pub mod index;
pub mod nesting;
pub mod page;

pub use index::{Index, Link, PageKind};
pub use page::{Block, DocsError, Fragment, fragments_of_page};
