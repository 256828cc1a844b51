//! `mend lsp`: a language server for exercise files, over stdio. Diagnostics
//! are `mend check`'s own; completion, hover and go-to-definition read the
//! open file's text, so they work while it is half-written.
//!
//! May import: `format`, `engine`, `script`, `diagnostic` and the top-level
//! leaves. A front-end-level layer: nothing below imports it.

pub(crate) mod completion;
pub(crate) mod definition;
pub(crate) mod hover;
pub(crate) mod keys;
pub(crate) mod lsp_error;
pub(crate) mod outline;
pub(crate) mod server;
