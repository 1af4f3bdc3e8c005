from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields, result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from portal.admin_list import can_render_fast, fast_results

register = template.Library()


def fast_result_list(cl):
    """Django's `result_list` with the rows of `portal.admin_list.fast_results` (same HTML)."""
    if not can_render_fast(cl):
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": fast_results(cl),
    }


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=fast_result_list, template_name="change_list_results.html", takes_context=False
    )
