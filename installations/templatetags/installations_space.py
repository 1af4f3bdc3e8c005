"""The applicant's cases in their personal space (portal/personal_space.html includes
`installations/personal_space_section.html`, so that `portal` never imports this app)."""

from django import template

from installations import applicant_selectors

register = template.Library()


@register.simple_tag
def installation_cases_of(user):
    """The person's own cases in every territory, newest first (one query)."""
    return applicant_selectors.space_cases(user)
