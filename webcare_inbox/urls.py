from django.urls import path

from webcare_inbox import views

app_name = "webcare_inbox"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("c/<int:pk>/", views.conversation_detail, name="conversation"),
    path("c/<int:pk>/reply/", views.conversation_reply, name="reply"),
    path("c/<int:pk>/note/", views.conversation_note, name="note"),
    path("c/<int:pk>/assign/", views.conversation_assign, name="assign"),
    path("c/<int:pk>/resolve/", views.conversation_resolve, name="resolve"),
]
