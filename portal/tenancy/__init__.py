"""Territory = tenant: how a request gets its territory, and how territory-owned data is scoped.

The rule that must never break: territory-owned rows are read through
`Model.objects.for_territory(territory)` or `.visible_to(user, roles=...)`, and no territory means no
rows (`.none()`), never "everything". Views fetch with
`get_object_or_404(Model.objects.for_territory(request.territory), pk=...)`, so another territory's
object answers 404 exactly like a missing one.

- `models.py`      the scoped base model and queryset, GLOBAL_MODELS (unscoped models and why)
- `access.py`      which territories a user holds which roles in
- `middleware.py`  request -> territory, from the URL
- `decorators.py`  private pages of a territory (role required, 404 otherwise)
- `admin.py`       TerritoryScopedAdmin, the scoped inline, the CSV export helper

Nothing is imported here: models import `portal.tenancy.models` while the app registry loads, and
the admin module cannot be imported then.
"""
