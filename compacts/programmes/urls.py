from django.urls import path

from compacts.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("queue/", views.work_queue, name="queue"),
    path("new/", views.concept_note_new, name="new"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/reorder/", views.pipeline_reorder, name="pipeline-reorder"),
    path("calls/", views.call_list, name="calls"),
    path("calls/new/", views.call_form, name="call-new"),
    path("calls/<int:call_id>/edit/", views.call_form, name="call-edit"),
    path("committee/members/", views.committee_members, name="committee-members"),
    path("committee/", views.meeting_list, name="meetings"),
    path("committee/new/", views.meeting_new, name="meeting-new"),
    path("committee/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("committee/<int:meeting_id>/agenda/", views.meeting_agenda, name="meeting-agenda"),
    path(
        "committee/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="meeting-attendance",
    ),
    path("committee/<int:meeting_id>/decide/", views.meeting_decide, name="meeting-decide"),
    path("committee/<int:meeting_id>/conflict/", views.meeting_conflict, name="meeting-conflict"),
    path("committee/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("<int:programme_id>/", views.programme_detail, name="detail"),
    path("<int:programme_id>/edit/", views.concept_note_edit, name="edit"),
    path("<int:programme_id>/move/", views.programme_move, name="move"),
    path("<int:programme_id>/document/", views.document_edit, name="document"),
    path("<int:programme_id>/changes/", views.programme_changes, name="changes"),
    path("<int:programme_id>/screening/", views.screening, name="screening"),
    path("<int:programme_id>/review/", views.technical_review, name="review"),
    path("<int:programme_id>/attachments/", views.attachment_upload, name="attach"),
    path(
        "<int:programme_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:programme_id>/tranches/<int:tranche_id>/transfer/",
        views.tranche_transfer,
        name="transfer",
    ),
]
