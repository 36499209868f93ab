from django.urls import path

from compacts.network import views

app_name = "network"
urlpatterns = [
    path("", views.index, name="index"),
    path("working-groups/", views.working_group_list, name="working-groups"),
    path("working-groups/<str:code>/", views.working_group_detail, name="working-group"),
    path(
        "working-groups/<str:code>/manage/",
        views.working_group_manage,
        name="working-group-manage",
    ),
    path(
        "working-groups/<str:code>/activities/<int:pk>/edit/",
        views.activity_edit,
        name="activity-edit",
    ),
    path("networks/", views.network_list, name="networks"),
    path("networks/<int:pk>/", views.network_detail, name="network"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_edit, name="event-new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/manage/", views.event_manage, name="event-manage"),
    path("hub/", views.hub, name="hub"),
    path("hub/practices/new/", views.practice_edit, name="practice-new"),
    path("hub/practices/<int:pk>/", views.practice_detail, name="practice"),
    path("hub/practices/<int:pk>/edit/", views.practice_edit, name="practice-edit"),
    path("hub/practices/<int:pk>/move/", views.practice_move, name="practice-move"),
    path("hub/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("hub/calls/", views.call_list, name="calls"),
    path("hub/calls/new/", views.call_edit, name="call-new"),
    path("hub/calls/<int:pk>/", views.call_detail, name="call"),
    path("hub/calls/<int:pk>/edit/", views.call_edit, name="call-edit"),
    path("hub/calls/<int:pk>/move/", views.call_move, name="call-move"),
    path("hub/library/", views.library, name="library"),
    path("hub/library/new/", views.resource_edit, name="resource-new"),
    path("hub/library/<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("members/", views.members_area, name="members"),
    path("secretariat/", views.secretariat, name="secretariat"),
    path("registrations/<int:pk>/move/", views.registration_move, name="registration-move"),
    path("comments/<int:pk>/move/", views.comment_move, name="comment-move"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
]
