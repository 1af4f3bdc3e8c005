from portal.notifications.selectors import unread_count


def notifications(request):
    """`unread_notifications_count` for the header, counted only if a template uses it, at most once."""
    user = getattr(request, "user", None)
    cache = []

    def count():
        if not cache:
            cache.append(unread_count(user))
        return cache[0]

    return {"unread_notifications_count": count}
