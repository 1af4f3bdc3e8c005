from django.conf import settings


def portal(request):
    territory = getattr(request, "territory", None)
    return {
        "current_territory": territory,
        "brand_colour": territory.main_colour if territory else "#1d4f91",
        "debug_banner": settings.DEBUG,
    }
