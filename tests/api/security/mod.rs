//! Issue 25's own checks that are not imports: the headers on every response, exports that cannot
//! run code, erased personal data that leaves no bytes behind, sessions that end, and one policy
//! at every door (sign-in limits, redirect targets, cross-site posts, CSRF tokens, regions).

mod doors;
mod erasure;
mod formula_cells;
mod headers;
mod sessions;
