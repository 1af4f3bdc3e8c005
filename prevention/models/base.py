"""What the prevention models share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class FieldChecks:
    """`clean()` that reports the base checks (e.g. a link to another territory) and the model's own
    `field_errors()` together, each by its field, so a form shows every problem at once."""

    def field_errors(self) -> dict[str, list[Any]]:
        return {}

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        try:
            super().clean()  # type: ignore[misc]
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field, messages in self.field_errors().items():
            errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class ThemesDisplay:
    """`themes_display`: the French labels of a `themes` list of Theme values."""

    themes: Any

    @property
    def themes_display(self) -> list[str]:
        from prevention.enums import Theme

        labels = dict(Theme.choices)
        return [str(labels.get(code, code)) for code in self.themes or []]
