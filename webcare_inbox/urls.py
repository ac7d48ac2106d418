from django.urls import path

from webcare_inbox import callback_views, views

app_name = "webcare_inbox"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("preferences/", views.preferences, name="preferences"),
    path("callbacks/", callback_views.callback_list, name="callbacks"),
    path("callbacks/<int:pk>/", callback_views.callback_action, name="callback"),
    path("c/<int:pk>/callback/", callback_views.conversation_callback, name="offer_callback"),
    path("c/<int:pk>/channel/", views.conversation_channel, name="channel"),
    path("c/<int:pk>/", views.conversation_detail, name="conversation"),
    path("c/<int:pk>/reply/", views.conversation_reply, name="reply"),
    path("c/<int:pk>/template/", views.conversation_template, name="template"),
    path("c/<int:pk>/note/", views.conversation_note, name="note"),
    path("c/<int:pk>/assign/", views.conversation_assign, name="assign"),
    path("c/<int:pk>/team/", views.conversation_team, name="team"),
    path("c/<int:pk>/label/", views.conversation_label, name="label"),
    path("c/<int:pk>/status/", views.conversation_status, name="status"),
    path("c/<int:pk>/resolve/", views.conversation_resolve, name="resolve"),
    path("c/<int:pk>/handler/", views.conversation_handler, name="handler"),
]
