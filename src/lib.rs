//! Test-only package: it exists so that `tests/` (the end-to-end suite) belongs to the workspace.
