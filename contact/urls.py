from django.urls import path

from contact import views

app_name = "contact"

urlpatterns = [
    # Public: no login (rate-limited, config/settings/security.py).
    path("contact/<str:code>/", views.send, name="send"),
    # The team's inbox.
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("messages/<int:pk>/assign/", views.message_assign, name="message_assign"),
    path("messages/<int:pk>/reply/", views.message_reply, name="message_reply"),
    path("messages/<int:pk>/close/", views.message_close, name="message_close"),
]
