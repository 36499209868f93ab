from django.urls import path

from compacts.network import views

app_name = "network"
urlpatterns = [
    path("", views.index, name="index"),
    path("working-groups/", views.working_group_list, name="working-groups"),
    path("working-groups/<str:code>/", views.working_group_detail, name="working-group"),
    path("networks/", views.network_list, name="networks"),
    path("networks/<int:pk>/", views.network_detail, name="network"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("hub/", views.hub, name="hub"),
    path("hub/practices/new/", views.practice_edit, name="practice-new"),
    path("hub/practices/<int:pk>/", views.practice_detail, name="practice"),
    path("hub/practices/<int:pk>/edit/", views.practice_edit, name="practice-edit"),
    path("hub/practices/<int:pk>/move/", views.practice_move, name="practice-move"),
    path("hub/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("hub/calls/", views.call_list, name="calls"),
    path("hub/calls/<int:pk>/", views.call_detail, name="call"),
    path("hub/library/", views.library, name="library"),
    path("members/", views.members_area, name="members"),
    path("secretariat/", views.secretariat, name="secretariat"),
    path("registrations/<int:pk>/move/", views.registration_move, name="registration-move"),
    path("comments/<int:pk>/move/", views.comment_move, name="comment-move"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
]
