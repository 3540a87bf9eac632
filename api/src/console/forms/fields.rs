//! Drawing a [`Form`]: each field with its label, the value typed (or stored), its reason beside
//! it (`aria-invalid`, `aria-describedby`, so a screen reader reads the reason with the field), and,
//! after a stale version, what the user had typed. Every form posts with its CSRF token and without
//! htmx (a plain post, so a refused write shows its page whatever its status).

use super::{CLIENT_KEY, Form, VERSION};
use crate::console::page::Ctx;
use crate::console::words as w;
use crate::labels::{self, Kind};
use maud::{Markup, html};

/// A field's name, label and help.
#[derive(Clone, Copy)]
pub struct Field<'a> {
    /// Form field name (also the element id).
    pub name: &'a str,
    /// The label.
    pub label: &'a str,
    /// A short help line under the field.
    pub hint: Option<&'a str>,
    /// Must be given (marked, and `required` for the browser).
    pub required: bool,
}

/// A field named `name`, labelled `label`.
pub fn field<'a>(name: &'a str, label: &'a str) -> Field<'a> {
    Field {
        name,
        label,
        hint: None,
        required: false,
    }
}

impl<'a> Field<'a> {
    /// With a help line.
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// Required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    fn hint_id(&self) -> String {
        format!("{}-petunjuk", self.name)
    }

    fn error_id(&self) -> String {
        format!("{}-galat", self.name)
    }

    fn described_by(&self, form: &Form) -> Option<String> {
        let mut ids = Vec::new();
        if form.error(self.name).is_some() {
            ids.push(self.error_id());
        }
        if self.hint.is_some() {
            ids.push(self.hint_id());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The `<form>`: posted without htmx, with the CSRF token and the form's reasons on top (`body`
/// is drawn first, so the reasons can name the fields by their labels).
pub fn form(ctx: &Ctx, f: &Form, action: &str, id: &str, body: Markup) -> Markup {
    html! {
        form.write method="post" action=(action) id=(id) hx-boost="false" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            (summary(f))
            (body)
        }
    }
}

/// The reasons of a form shown again: a stale version or a refusal above the form, and a list of
/// the fields to fix, each a link to its field.
pub fn summary(f: &Form) -> Markup {
    html! {
        @if let Some(n) = &f.notice { p.error role="alert" .form-notice { (n) } }
        @if f.has_errors() {
            div.error role="alert" .form-errors {
                p { (w::NOT_SAVED) }
                ul { @for (name, reason) in f.errors() { li { a href={ "#" (name) } { (f.label_of(name)) } ": " (reason) } } }
            }
        }
    }
}

/// The hidden client key of a create.
pub fn client_key(f: &Form) -> Markup {
    html! { input type="hidden" name=(CLIENT_KEY) value=(f.client_key()); }
}

/// The hidden version of an update.
pub fn version(f: &Form) -> Markup {
    html! { input type="hidden" name=(VERSION) value=(f.value(VERSION)); }
}

/// A hidden field.
pub fn hidden(name: &str, value: &str) -> Markup {
    html! { input type="hidden" name=(name) value=(value); }
}

/// The submit button.
pub fn submit(label: &str) -> Markup {
    html! { div.actions { button type="submit" { (label) } } }
}

fn wrap(f: &Form, fd: Field<'_>, control: Markup) -> Markup {
    f.label(fd.name, fd.label);
    html! {
        div.field .invalid[f.error(fd.name).is_some()] {
            label for=(fd.name) { (fd.label) @if fd.required { " " span.muted { (w::REQUIRED_MARK) } } }
            (control)
            @if let Some(h) = fd.hint { p.hint.muted id=(fd.hint_id()) { (h) } }
            @if let Some(e) = f.error(fd.name) { p.field-error id=(fd.error_id()) { (e) } }
            @if let Some(y) = f.yours(fd.name) { p.yours { (w::YOURS) " " strong { (if y.is_empty() { w::EMPTY } else { y }) } } }
        }
    }
}

/// A one-line input of `kind` (`text`, `date`, `email`, ...).
pub fn input(f: &Form, fd: Field<'_>, kind: &str) -> Markup {
    wrap(
        f,
        fd,
        html! {
            input id=(fd.name) name=(fd.name) type=(kind) value=(f.value(fd.name))
                required[fd.required] aria-invalid=[f.error(fd.name).map(|_| "true")]
                aria-describedby=[fd.described_by(f)];
        },
    )
}

/// A whole number (typed, not a spinner: planners paste figures with dots).
pub fn number(f: &Form, fd: Field<'_>) -> Markup {
    wrap(
        f,
        fd,
        html! {
            input id=(fd.name) name=(fd.name) type="text" inputmode="numeric" value=(f.value(fd.name))
                required[fd.required] aria-invalid=[f.error(fd.name).map(|_| "true")]
                aria-describedby=[fd.described_by(f)];
        },
    )
}

/// A Rupiah amount, typed as `1.250.000.000`.
pub fn rupiah(f: &Form, fd: Field<'_>) -> Markup {
    let fd = Field {
        hint: fd.hint.or(Some("Rupiah utuh, mis. 1.250.000.000")),
        ..fd
    };
    wrap(
        f,
        fd,
        html! {
            input id=(fd.name) name=(fd.name) type="text" inputmode="numeric" autocomplete="off"
                placeholder="1.250.000.000" value=(f.value(fd.name))
                required[fd.required] aria-invalid=[f.error(fd.name).map(|_| "true")]
                aria-describedby=[fd.described_by(f)];
        },
    )
}

/// A text area.
pub fn textarea(f: &Form, fd: Field<'_>, rows: u32) -> Markup {
    wrap(
        f,
        fd,
        html! {
            textarea id=(fd.name) name=(fd.name) rows=(rows) required[fd.required]
                aria-invalid=[f.error(fd.name).map(|_| "true")] aria-describedby=[fd.described_by(f)] { (f.value(fd.name)) }
        },
    )
}

/// A select of `(value, label)` options, with `blank` as an empty first option when given.
pub fn select(
    f: &Form,
    fd: Field<'_>,
    options: &[(String, String)],
    blank: Option<&str>,
) -> Markup {
    let current = f.value(fd.name);
    wrap(
        f,
        fd,
        html! {
            select id=(fd.name) name=(fd.name) required[fd.required]
                aria-invalid=[f.error(fd.name).map(|_| "true")] aria-describedby=[fd.described_by(f)] {
                @if let Some(b) = blank { option value="" { (b) } }
                @for (v, l) in options { option value=(v) selected[v == current] { (l) } }
            }
        },
    )
}

/// A select of an enum's values, labelled in Indonesian; `only` narrows the values offered.
pub fn enum_select(
    f: &Form,
    fd: Field<'_>,
    kind: Kind,
    blank: Option<&str>,
    only: Option<&[&str]>,
) -> Markup {
    let options: Vec<(String, String)> = labels::table(kind)
        .iter()
        .filter(|(wire, _)| only.is_none_or(|o| o.contains(wire)))
        .map(|(wire, label)| ((*wire).to_string(), (*label).to_string()))
        .collect();
    select(f, fd, &options, blank)
}

/// Checkboxes, one per `(value, label)`, all posted under the field's name.
pub fn checkboxes(f: &Form, fd: Field<'_>, options: &[(String, String)]) -> Markup {
    let chosen = f.all(fd.name);
    f.label(fd.name, fd.label);
    html! {
        fieldset.field .invalid[f.error(fd.name).is_some()] id=(fd.name) aria-describedby=[fd.described_by(f)] {
            legend { (fd.label) }
            @if options.is_empty() { p.muted { "Tidak ada pilihan." } }
            @for (i, (v, l)) in options.iter().enumerate() {
                @let id = format!("{}-{i}", fd.name);
                div.check {
                    input type="checkbox" id=(id) name=(fd.name) value=(v) checked[chosen.contains(v)];
                    label for=(id) { (l) }
                }
            }
            @if let Some(h) = fd.hint { p.hint.muted id=(fd.hint_id()) { (h) } }
            @if let Some(e) = f.error(fd.name) { p.field-error id=(fd.error_id()) { (e) } }
        }
    }
}

/// A region: code or name, with suggestions from the region search as the user types (htmx fills
/// the `<datalist>`), and the regions a name fits offered as choices when it fits several.
pub fn region(f: &Form, fd: Field<'_>) -> Markup {
    let fd = Field {
        hint: fd
            .hint
            .or(Some("Kode Kemendagri (mis. 33.26.02.2008) atau nama desa")),
        ..fd
    };
    let list = format!("{}-saran", fd.name);
    let pick = super::region::pick_field(fd.name);
    let candidates = f.candidates(fd.name);
    html! {
        (wrap(f, fd, html! {
            input id=(fd.name) name=(fd.name) type="text" value=(f.value(fd.name)) list=(list) autocomplete="off"
                required[fd.required] aria-invalid=[f.error(fd.name).map(|_| "true")] aria-describedby=[fd.described_by(f)]
                hx-get="/formulir/wilayah" hx-trigger="input changed delay:300ms" hx-target={ "#" (list) } hx-swap="innerHTML";
            datalist id=(list) {}
        }))
        @if !candidates.is_empty() {
            fieldset.field.choices {
                legend { "Wilayah yang dimaksud" }
                @for (i, (code, label)) in candidates.iter().enumerate() {
                    @let id = format!("{pick}-{i}");
                    div.check {
                        input type="radio" id=(id) name=(pick) value=(code);
                        label for=(id) { (label) }
                    }
                }
            }
        }
    }
}
