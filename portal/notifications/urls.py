from django.urls import path

from portal.notifications import views

app_name = "notifications"

# Mounted at espace/notifications/ (the signed-in person's space, every territory at once).
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/lue/", views.notification_mark_read, name="mark_read"),
    path("tout-lu/", views.notification_mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
]
