//! Issue 25's own checks that are not sessions or imports: the headers on every response, exports
//! that cannot run code, and erased personal data that leaves no bytes behind.

mod erasure;
mod formula_cells;
mod headers;
