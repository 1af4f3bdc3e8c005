from django import template

register = template.Library()


@register.simple_tag
def accessible_widget(field):
    """Render a field's widget tied to its help text and its errors (read by screen readers)."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    attrs = {}
    if field.errors:
        described_by.insert(0, f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """The list of what went wrong at the top of a refused form, each field error linking to its field.

    Several forms posted together (one <form> element) share one summary.
    """
    errors = []
    for form in forms:
        if not form or not form.is_bound or not form.errors:
            continue
        # A form may say where its own errors lead (a group of boxes: the first one).
        anchor = getattr(form, "error_anchor", None)
        label = getattr(form, "legend", None) if anchor else None
        errors.extend({"anchor": anchor, "label": label, "message": error} for error in form.non_field_errors())
        for field in form:
            if field.is_hidden:
                errors.extend({"anchor": None, "label": None, "message": error} for error in field.errors)
                continue
            errors.extend(
                {"anchor": field.id_for_label, "label": field.label, "message": error} for error in field.errors
            )
    return {"errors": errors}


@register.filter
def fields_html(form):
    """What `includes/form.html` writes for `form` (its error summary, hidden fields, each field with
    its label, help and errors), with the fields written in Python (`portal.forms.field_html`): for
    pages with many small forms, such as the coordinator's case page."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from portal.forms import field_html

    parts = []
    if form.is_bound and form.errors:
        parts.append(render_to_string("includes/error_summary.html", error_summary(form)))
    parts.extend(str(field) for field in form.hidden_fields())
    parts.extend(field_html(field) for field in form.visible_fields())
    return mark_safe("\n".join(parts))  # noqa: S308 (each part escaped by its writer)
