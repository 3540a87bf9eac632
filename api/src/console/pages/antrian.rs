//! The place on a work list page (the verification queue, the complaint inbox): its filters and
//! the page it shows, as query parameters. Each decision form on the page carries it, so that
//! acting on a row of the third page draws the third page again, with the same filters, whether
//! the decision succeeded or was refused with a reason to show beside its row.

use super::{Params, param};
use crate::console::forms::Form;
use crate::console::page::urlencode;
use maud::{Markup, html};

/// The query parameter of the page: the `endCursor` of the page before.
pub const AFTER: &str = "setelah";

/// The parameters that are set, in a fixed order.
#[derive(Debug, Clone, Default)]
pub struct Place(Vec<(&'static str, String)>);

impl Place {
    /// The `names` given in the query string.
    pub fn from_query(q: &Params, names: &[&'static str]) -> Self {
        Self::from(names, |n| param(q, n).map(str::to_string))
    }

    /// The `names` carried by a posted form.
    pub fn from_form(f: &Form, names: &[&'static str]) -> Self {
        Self::from(names, |n| {
            Some(f.value(n).trim().to_string()).filter(|v| !v.is_empty())
        })
    }

    fn from(names: &[&'static str], get: impl Fn(&str) -> Option<String>) -> Self {
        Self(
            names
                .iter()
                .filter_map(|n| get(n).map(|v| (*n, v)))
                .collect(),
        )
    }

    /// A parameter's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The same place with `name` set to `value` (a default filled in, or the next page).
    pub fn with(&self, name: &'static str, value: &str) -> Self {
        let mut out = self.without(name);
        out.0.push((name, value.to_string()));
        out
    }

    /// The same place without `name` (the first page: without [`AFTER`]).
    pub fn without(&self, name: &str) -> Self {
        Self(self.0.iter().filter(|(n, _)| *n != name).cloned().collect())
    }

    /// `path` with this place's query string.
    pub fn href(&self, path: &str) -> String {
        let query: Vec<String> = self
            .0
            .iter()
            .map(|(n, v)| format!("{n}={}", urlencode(v)))
            .collect();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }

    /// The links to the next page after a typed list (its `hasNextPage` and `endCursor`) and back
    /// to the first, as every list of the console has them.
    pub fn pager_at(&self, path: &str, has_next: bool, end_cursor: Option<&str>) -> Markup {
        let q: Params = self
            .0
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        super::pager_at(path, &q, has_next, end_cursor)
    }

    /// Hidden fields carrying this place in a form.
    pub fn hidden(&self) -> Markup {
        html! { @for (n, v) in &self.0 { input type="hidden" name=(n) value=(v); } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_round_trips_through_its_link_and_drops_what_is_empty() {
        let q: Params = [
            ("wilayah", " 33.26 "),
            ("setelah", ""),
            ("status", "IN_REVIEW"),
            ("lain", "x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let place = Place::from_query(&q, &["wilayah", "status", AFTER]);
        assert_eq!(place.get("wilayah"), Some("33.26"));
        assert_eq!(place.get(AFTER), None);
        assert_eq!(
            place.href("/pengaduan/masuk"),
            "/pengaduan/masuk?wilayah=33.26&status=IN_REVIEW"
        );
        let next = place.with(AFTER, "a+b/c=");
        assert_eq!(
            next.href("/x"),
            "/x?wilayah=33.26&status=IN_REVIEW&setelah=a%2Bb%2Fc%3D"
        );
        assert_eq!(next.with(AFTER, "d").get(AFTER), Some("d"));
        assert_eq!(next.without(AFTER).href("/x"), place.href("/x"));
        assert_eq!(Place::default().href("/x"), "/x");
    }
}
