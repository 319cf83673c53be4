"""Data extraction: the co-designed form, two extractors' values, comparison and consensus.

The paper's extraction tool "was designed by co-authors and CAG members" and
"two co-authors performed data extraction" (Methods, Data extraction). The
lead designs the form here field by field (each save a new version), advisers
comment on fields and propose new ones in plain words, the lead accepts a
proposal (credited to its proposer) or declines it with a reason; reviewers
extract each study blind and the lead settles the fields where they differ.

Blinding is the services' (DESIGN.md rule 3): a page shows what
`study_extraction` and `compare_extractions` return, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from cosynth.domain.extraction import (
    MAX_KEY_LENGTH,
    ExtractionForm,
    FieldKind,
    FormField,
    Value,
    format_value,
)
from cosynth.domain.roles import Permission, Role, may
from cosynth.errors import InputError
from cosynth.services import extraction as extraction_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import current_user, transaction

blueprint = Blueprint("extraction", __name__, url_prefix="/reviews/<int:review_id>/extraction")

# The most blank sub-field rows or group entries one "add another" can ask for.
MOST_ROWS = 50
# Where a value's checking went wrong: `parse_value` names the field first.
_FIELD_ERROR = re.compile(
    r"^Field '(?P<key>[a-z][a-z0-9_]*)' \(.*?\)"
    r"(?:, entry (?P<entry>\d+)(?:, '(?P<sub>[a-z][a-z0-9_]*)' \()?)?"
)

# The overview and the form


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        versions = extraction_service.form_versions(tx, review_id)
        studies = extraction_service.extraction_overview(tx, review_id) if versions else []
    return render_template(
        "extraction/index.html",
        review=review,
        form=versions[-1] if versions else None,
        studies=studies,
        **_abilities(role),
    )


@blueprint.route("/form")
@login_required
def form(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        versions = extraction_service.form_versions(tx, review_id)
        feedback = extraction_service.form_feedback(tx, review_id)
    return render_template(
        "extraction/form.html",
        review=review,
        form=versions[-1] if versions else ExtractionForm(fields=()),
        versions=list(reversed(versions)),
        open_feedback=[item for item in feedback if item.open],
        comments=len([item for item in feedback if not item.proposed]),
        **_abilities(role),
    )


@blueprint.route("/form.toml")
@login_required
def form_toml(review_id: int) -> Response:
    version = request.args.get("version", type=int)
    with transaction() as tx:
        text = extraction_service.form_toml(tx, review_id, version)
    name = f"extraction-form-v{version}.toml" if version else "extraction-form.toml"
    return Response(
        text,
        mimetype="application/toml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.route("/form/upload", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def upload(review_id: int) -> Response:
    upload = request.files.get("form_file")
    if upload is None or not upload.filename:
        raise InputError(_("Choose a form file (.toml) to upload."))
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            _("%(name)s is not a text file in UTF-8; save it as UTF-8 TOML.", name=upload.filename)
        ) from None
    with transaction() as tx:
        saved = extraction_service.import_form(
            tx, review_id, text, upload.filename, note=request.form.get("note", "")
        )
    flash(_("The form is saved as version %(v)s.", v=saved.version), "info")
    return redirect(url_for("extraction.form", review_id=review_id), 303)


# The lead's field editor: add, edit, remove and move fields; every save is a new version.


@blueprint.route("/form/fields/new", methods=["GET", "POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def new_field(review_id: int) -> str | tuple[str, int] | Response:
    return _field_editor(review_id, None)


@blueprint.route("/form/fields/<key>", methods=["GET", "POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def edit_field(review_id: int, key: str) -> str | tuple[str, int] | Response:
    return _field_editor(review_id, key)


def _field_editor(review_id: int, key: str | None) -> str | tuple[str, int] | Response:
    """The editor of one field: a GET shows it, a POST saves the form with it (a new version).

    "Add another sub-field" posts what was typed back to the editor with one
    more blank row, saving nothing, so nothing typed is lost.
    """
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        current = _current_or_empty(extraction_service.form_versions(tx, review_id))
    editing = current.field(key) if key is not None else None
    if request.method == "GET":
        rows = min(max(request.args.get("rows", 0, type=int), 0), MOST_ROWS)
        shown = _editor_values(editing, rows)
        return _render_field(review, current, key, shown, "")
    shown = _posted_field(request.form)
    if "add_subfield" in request.form:
        shown["subfields"].append(_blank_subfield())
        return _render_field(review, current, key, shown, "")
    try:
        based_on = int(request.form.get("version", "0"))
        with transaction() as tx:
            saved = extraction_service.save_form(
                tx,
                review_id,
                _edited(current, key, _field_of(shown), based_on=based_on),
                note=request.form.get("note", "").strip() or _change_note(key, shown["key"]),
            )
    except InputError as exc:
        return _render_field(review, current, key, shown, str(exc)), 422
    flash(_("The form is saved as version %(v)s.", v=saved.version), "info")
    return redirect(url_for("extraction.form", review_id=review_id), 303)


def _render_field(
    review: Any, current: ExtractionForm, key: str | None, shown: dict[str, Any], error: str
) -> str:
    return render_template(
        "extraction/field.html",
        review=review,
        form=current,
        key=key,
        shown=shown,
        error=error,
        kinds=list(FieldKind),
        sub_kinds=[kind for kind in FieldKind if kind is not FieldKind.GROUP],
    )


@blueprint.route("/form/fields/<key>/remove", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def remove_field(review_id: int, key: str) -> Response:
    return _rearrange(review_id, key, "remove")


@blueprint.route("/form/fields/<key>/move", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def move_field(review_id: int, key: str) -> Response:
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400)
    return _rearrange(review_id, key, direction)


def _rearrange(review_id: int, key: str, how: str) -> Response:
    based_on = request.form.get("version", "0")
    with transaction() as tx:
        current = _current_or_empty(extraction_service.form_versions(tx, review_id))
        _check_version(current, int(based_on) if based_on.isdigit() else 0)
        fields = list(current.fields)
        at = fields.index(current.field(key))
        if how == "remove":
            del fields[at]
            note = f"removed field {key!r}"
        else:
            to = at - 1 if how == "up" else at + 1
            if not 0 <= to < len(fields):
                raise InputError(
                    _("The field %(key)s is already first.", key=key)
                    if how == "up"
                    else _("The field %(key)s is already last.", key=key)
                )
            fields[at], fields[to] = fields[to], fields[at]
            note = f"moved field {key!r} {how}"
        saved = extraction_service.save_form(
            tx, review_id, replace(current, fields=tuple(fields)), note=note
        )
    flash(_("The form is saved as version %(v)s.", v=saved.version), "info")
    return redirect(url_for("extraction.form", review_id=review_id) + f"#field-{key}", 303)


# Advisers' comments and proposals, and the lead's answers


@blueprint.route("/form/feedback")
@login_required
def feedback(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        versions = extraction_service.form_versions(tx, review_id)
        made = extraction_service.form_feedback(tx, review_id)
    return render_template(
        "extraction/feedback.html",
        review=review,
        form=_current_or_empty(versions),
        proposals=[item for item in made if item.open],
        comments=[item for item in reversed(made) if item.proposed is None],
        answered=[item for item in reversed(made) if item.proposed is not None and not item.open],
        **_abilities(role),
    )


@blueprint.route("/form/suggest")
@login_required
def suggest(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        versions = extraction_service.form_versions(tx, review_id)
    return render_template(
        "extraction/suggest.html",
        review=review,
        form=_current_or_empty(versions),
        kinds=[kind for kind in FieldKind if kind is not FieldKind.GROUP],
        **_abilities(role),
    )


@blueprint.route("/form/comments", methods=["POST"])
@login_required
@permission_first(Permission.COMMENT_ON_FORM)
def comment(review_id: int) -> Response:
    with transaction() as tx:
        extraction_service.comment_on_field(
            tx, review_id, request.form.get("field", ""), request.form.get("text", "")
        )
    flash(_("Thank you. The team will read your comment."), "info")
    return redirect(url_for("extraction.feedback", review_id=review_id), 303)


@blueprint.route("/form/proposals", methods=["POST"])
@login_required
@permission_first(Permission.COMMENT_ON_FORM)
def propose(review_id: int) -> Response:
    label = request.form.get("label", "").strip()
    kind = _kind(request.form.get("kind", "text"))
    proposed = FormField(
        key=request.form.get("key", "").strip() or key_from_label(label),
        label=label,
        kind=kind,
        help=request.form.get("help", "").strip(),
        choices=_lines(request.form.get("choices", "")) if kind.has_choices else (),
    )
    with transaction() as tx:
        extraction_service.propose_field(tx, review_id, proposed, why=request.form.get("why", ""))
    flash(_("Thank you. The lead will answer your suggestion."), "info")
    return redirect(url_for("extraction.feedback", review_id=review_id), 303)


@blueprint.route("/form/proposals/<int:feedback_id>/accept", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def accept(review_id: int, feedback_id: int) -> Response:
    with transaction() as tx:
        saved = extraction_service.accept_proposal(
            tx, review_id, feedback_id, note=request.form.get("note", "")
        )
    flash(_("The proposal is accepted: the form is now version %(v)s.", v=saved.version), "info")
    return redirect(url_for("extraction.feedback", review_id=review_id), 303)


@blueprint.route("/form/proposals/<int:feedback_id>/decline", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def decline(review_id: int, feedback_id: int) -> Response:
    with transaction() as tx:
        extraction_service.decline_proposal(
            tx, review_id, feedback_id, reason=request.form.get("reason", "")
        )
    flash(_("The proposal is declined; its proposer will see your reason."), "info")
    return redirect(url_for("extraction.feedback", review_id=review_id), 303)


# Extracting one study


@blueprint.route("/studies/<int:record_id>")
@login_required
def study(review_id: int, record_id: int) -> str:
    more = request.args.get("more", "")
    return _study_page(review_id, record_id, typed=None, error=None, more=more)


@blueprint.route("/studies/<int:record_id>", methods=["POST"])
@login_required
@permission_first(Permission.EXTRACT)
def save_values(review_id: int, record_id: int) -> str | tuple[str, int] | Response:
    typed = typed_values(request.form)
    more = request.form.get("add_entry", "")
    try:
        with transaction() as tx:
            added = extraction_service.set_values(tx, review_id, record_id, typed)
    except InputError as exc:
        # The page again, with what was typed and the service's words beside the field.
        return _study_page(review_id, record_id, typed=typed, error=exc, more=more), 422
    if not more:
        flash(_("Saved: %(n)s values changed.", n=len(added)), "info")
    back = url_for("extraction.study", review_id=review_id, record_id=record_id)
    if more:
        return redirect(f"{back}?more={more}#f-{more}-new", 303)
    return redirect(back, 303)


@blueprint.route("/studies/<int:record_id>/done", methods=["POST"])
@login_required
@permission_first(Permission.EXTRACT)
def done(review_id: int, record_id: int) -> Response:
    with transaction() as tx:
        found = extraction_service.mark_done(tx, review_id, record_id)
    flash(_("%(study)s is marked done.", study=found.label), "info")
    return redirect(url_for("extraction.study", review_id=review_id, record_id=record_id), 303)


@dataclass(frozen=True, slots=True)
class FieldError:
    """The service's message, and the field (and group entry) it is about."""

    key: str
    entry: int | None
    message: str
    sub: str = ""


def _study_page(
    review_id: int,
    record_id: int,
    *,
    typed: dict[str, Any] | None,
    error: InputError | None,
    more: str,
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = extraction_service.study_extraction(tx, review_id, record_id)
    me = _me()
    mine = {
        compared.field.key: dict(compared.values).get(me, "")
        for compared in found.fields
        if me in dict(compared.values)
    }
    placed = _placed(error) if error is not None else None
    return render_template(
        "extraction/study.html",
        review=review,
        found=found,
        values=typed if typed is not None else mine,
        error=placed,
        more=more,
        me=me,
        done=me in found.done_by,
        others=[e for e in found.extractors if e != me and e not in found.hidden],
        **_abilities(role),
    )


def _placed(error: InputError) -> FieldError:
    matched = _FIELD_ERROR.match(error.message)
    if matched is None:
        return FieldError("", None, error.message)
    entry = matched.group("entry")
    return FieldError(
        matched.group("key"),
        int(entry) if entry else None,
        error.message,
        matched.group("sub") or "",
    )


@blueprint.app_template_filter("extraction_value")
def extraction_value(value: Value, f: FormField) -> str:
    """A value as one line of text, the way tables and CSV files show it."""
    return format_value(f, value)


# Comparing two extractions, and the lead's consensus


@blueprint.route("/studies/<int:record_id>/compare")
@login_required
def compare(review_id: int, record_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = extraction_service.compare_extractions(tx, review_id, record_id)
    return render_template(
        "extraction/compare.html",
        review=review,
        found=found,
        show_all=request.args.get("all") == "1",
        **_abilities(role),
    )


@blueprint.route("/studies/<int:record_id>/consensus", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def consensus(review_id: int, record_id: int) -> Response:
    field_key = request.form.get("field", "")
    take = request.form.get("take", "")
    with transaction() as tx:
        if take.startswith("extractor:"):
            found = extraction_service.compare_extractions(tx, review_id, record_id)
            compared = next((f for f in found.fields if f.field.key == field_key), None)
            values = dict(compared.values) if compared is not None else {}
            if take.removeprefix("extractor:") not in values:
                raise InputError(_("Choose one of the values, or type the agreed value."))
            value: object = values[take.removeprefix("extractor:")]
        elif take == "typed":
            value = request.form.get("value", "")
        else:
            raise InputError(_("Choose one of the values, or type the agreed value."))
        extraction_service.record_consensus(
            tx, review_id, record_id, field_key, value, note=request.form.get("note", "")
        )
    flash(_("The agreed value is recorded."), "info")
    back = url_for("extraction.compare", review_id=review_id, record_id=record_id)
    return redirect(f"{back}#field-{field_key}", 303)


@blueprint.route("/consensus.csv")
@login_required
def consensus_csv(review_id: int) -> Response:
    with transaction() as tx:
        text = extraction_service.consensus_csv(tx, review_id)
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="extraction-consensus.csv"'},
    )


# Reading forms


def typed_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """The values typed on a study's page, as `set_values` takes them.

    Every field on the page sends its key in `fields`, so that a field left
    empty (no box ticked) clears the value. Inputs are `v.<key>` and, in a
    repeating group, `v.<key>.<entry>.<sub-field>`; a field with several
    ticked boxes gives a list.
    """
    values: dict[str, Any] = {key: "" for key in form.getlist("fields") if key}
    groups: dict[str, dict[int, dict[str, Any]]] = {}
    for name in form:
        parts = name.split(".")
        if parts[0] != "v":
            continue
        items = form.getlist(name)
        one: Any = items if len(items) > 1 else items[0]
        if len(parts) == 2:
            values[parts[1]] = one
        elif len(parts) == 4 and parts[2].isdigit():
            entries = groups.setdefault(parts[1], {})
            entries.setdefault(int(parts[2]), {})[parts[3]] = one
    for key, entries in groups.items():
        values[key] = [entries[number] for number in sorted(entries)]
    return values


def key_from_label(label: str) -> str:
    """A field key made from its question, for advisers who need not know keys exist."""
    key = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")
    if key and not key[0].isalpha():
        key = f"q_{key}"
    return key[:MAX_KEY_LENGTH].rstrip("_")


def _kind(text: str) -> FieldKind:
    try:
        return FieldKind(text)
    except ValueError:
        raise InputError(
            _("Choose what kind of answer the question takes from the list.")
        ) from None


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _posted_field(form: MultiDict[str, str]) -> dict[str, Any]:
    """The editor's inputs as typed: the field, and each sub-field row."""
    rows = []
    numbers = sorted({int(name.split(".")[1]) for name in form if _is_sub_input(name)})
    for number in numbers:
        row: dict[str, Any] = {
            part: form.get(f"sub.{number}.{part}", "").strip()
            for part in ("key", "label", "kind", "help", "choices")
        }
        row["required"] = bool(form.get(f"sub.{number}.required"))
        if any(row[part] for part in ("key", "label", "help", "choices")):
            rows.append(row)
    return {
        "key": form.get("key", "").strip(),
        "label": form.get("label", "").strip(),
        "kind": form.get("kind", "text"),
        "help": form.get("help", "").strip(),
        "required": bool(form.get("required")),
        "choices": form.get("choices", "").strip(),
        "proposed_by": form.get("proposed_by", ""),
        "subfields": rows,
    }


def _is_sub_input(name: str) -> bool:
    parts = name.split(".")
    return len(parts) == 3 and parts[0] == "sub" and parts[1].isdigit()


def _blank_subfield() -> dict[str, Any]:
    return {"key": "", "label": "", "kind": "text", "help": "", "choices": "", "required": False}


def _editor_values(f: FormField | None, blank_rows: int) -> dict[str, Any]:
    shown = _blank_subfield() if f is None else _shown_field(f)
    rows = [] if f is None else [_shown_field(sub) for sub in f.fields]
    rows.extend(_blank_subfield() for _ in range(blank_rows))
    shown["proposed_by"] = "" if f is None else f.proposed_by
    shown["subfields"] = rows or [_blank_subfield()]
    return shown


def _shown_field(f: FormField) -> dict[str, Any]:
    return {
        "key": f.key,
        "label": f.label,
        "kind": f.kind.value,
        "help": f.help,
        "required": f.required,
        "choices": "\n".join(f.choices),
    }


def _field_of(shown: dict[str, Any]) -> FormField:
    kind = _kind(shown["kind"])
    subfields = (
        tuple(_simple_field(row) for row in shown["subfields"]) if kind is FieldKind.GROUP else ()
    )
    return replace(
        _simple_field(shown), fields=subfields, proposed_by=str(shown.get("proposed_by", ""))
    )


def _simple_field(row: dict[str, Any]) -> FormField:
    kind = _kind(row["kind"])
    return FormField(
        key=row["key"],
        label=row["label"],
        kind=kind,
        help=row["help"],
        required=bool(row["required"]),
        choices=_lines(row["choices"]) if kind.has_choices else (),
    )


def _edited(
    current: ExtractionForm, key: str | None, new: FormField, *, based_on: int
) -> ExtractionForm:
    """The form with `new` added at the end, or in place of the field `key`."""
    _check_version(current, based_on)
    if key is None:
        if current.find(new.key) is not None:
            raise InputError(
                _("The form already has a field with the key %(key)s; choose another.", key=new.key)
            )
        return replace(current, fields=(*current.fields, new))
    current.field(key)
    if new.key != key and current.find(new.key) is not None:
        raise InputError(
            _("The form already has a field with the key %(key)s; choose another.", key=new.key)
        )
    return replace(current, fields=tuple(new if f.key == key else f for f in current.fields))


def _check_version(current: ExtractionForm, based_on: int) -> None:
    """Refuse a change made on a page of an older version (someone saved in between)."""
    if based_on != current.version:
        raise InputError(
            _(
                "The form has changed since this page was opened (it is now version %(v)s, "
                "saved by %(who)s). Look at it again and make your change there.",
                v=current.version,
                who=current.saved_by or "-",
            )
        )


def _change_note(old_key: str | None, new_key: str) -> str:
    if old_key is None:
        return f"added field {new_key!r}"
    if old_key != new_key:
        return f"changed field {old_key!r} (now {new_key!r})"
    return f"changed field {new_key!r}"


def _current_or_empty(versions: list[ExtractionForm]) -> ExtractionForm:
    return versions[-1] if versions else ExtractionForm(fields=())


def _me() -> str:
    return current_user().username


def _abilities(role: Role) -> dict[str, bool]:
    """What the page offers: the services refuse the rest whatever is posted."""
    return {
        "is_lead": role is Role.LEAD,
        "may_design": may(role, Permission.EDIT_PROTOCOL),
        "may_extract": may(role, Permission.EXTRACT),
        "may_comment": may(role, Permission.COMMENT_ON_FORM),
        "advising": role is Role.ADVISER,
    }
