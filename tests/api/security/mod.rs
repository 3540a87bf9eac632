//! Issue 25's checks: hostile imports, sessions that end, one door policy, the headers on every
//! response, exports that cannot run code, and erased personal data that leaves no bytes behind.

mod doors;
mod erasure;
mod formula_cells;
mod headers;
mod imports;
mod sessions;
