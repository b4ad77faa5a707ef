from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.caching import cached_for_visitors, cached_part, version_of_rows
from common.pagination import page_of, url_for_each
from common.uploads import display_name, serve_file
from members import services
from members.forms import (
    DirectoryFilterForm,
    DocumentForm,
    InformationRequestForm,
    InvitationForm,
    InvitationRequestForm,
    MembershipDecisionForm,
    OrganisationForm,
    VoteForm,
)
from members.history import history_of
from members.models import Application, MembershipStatus, Organisation, Vote
from members.permissions import (
    can_review,
    get_application_for,
    get_document_for,
    get_organisation_for,
    may_decide,
    may_decide_any,
    own_organisation,
    require_reviewer,
)
from members.services import MembershipError

# The applicant's side ------------------------------------------------------


@login_required
@require_safe
def my_organisation(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request.user)
    if organisation is None:
        return render(request, "members/no_organisation.html")
    application = organisation.applications.order_by("-created_at").first()
    context = {
        "organisation": organisation,
        "application": application,
        "documents": organisation.documents.all(),
        "missing": services.missing_documents(organisation),
        "history": history_of(application, for_applicant=True) if application else [],
        "representatives": organisation.representatives.select_related("user"),
    }
    return render(request, "members/my_organisation.html", context)


@login_required
def create_organisation(request: HttpRequest) -> HttpResponse:
    if own_organisation(request.user) is not None:
        return redirect("members:mine")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_applicant_organisation(
                by=request.user, themes=form.cleaned_data["themes"], **form.service_fields()
            )
        except services.DuplicateOrganisation as error:
            form.duplicate = error.existing
            form.add_error(None, str(error))
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your organisation's profile is saved as a draft."))
            return redirect("members:mine")
    context = {"form": form, "creating": True, "duplicate": form.duplicate}
    return render(request, "members/organisation_form.html", context)


@login_required
@require_POST
def ask_for_invitation(request: HttpRequest) -> HttpResponse:
    form = InvitationRequestForm(request.POST)
    organisation = form.is_valid() and services.find_duplicate(
        form.cleaned_data["name"], form.cleaned_data["acronym"]
    )
    if not organisation:
        messages.error(request, _("No registered organisation has this name."))
        return redirect("members:create")
    try:
        services.ask_for_invitation(organisation, by=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
        return redirect("members:mine")
    messages.success(
        request,
        _(
            "Your request is sent to the representatives of “%(organisation)s”: when one of "
            "them invites you, you will receive an e-mail with a link to join."
        )
        % {"organisation": organisation},
    )
    return redirect("members:mine")


def _own_or_404(request: HttpRequest) -> Organisation:
    organisation = own_organisation(request.user)
    if organisation is None:
        raise Http404
    return organisation


@login_required
def edit_organisation(request: HttpRequest) -> HttpResponse:
    organisation = _own_or_404(request)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                organisation,
                by=request.user,
                themes=form.cleaned_data["themes"],
                **form.service_fields(),
            )
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("members:mine")
    return render(request, "members/organisation_form.html", {"form": form, "creating": False})


@login_required
def add_document(request: HttpRequest) -> HttpResponse:
    organisation = _own_or_404(request)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_document(
                organisation,
                by=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                content_type=form.content_type,
            )
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The document is added."))
        return redirect("members:mine")
    return render(request, "members/document_form.html", {"form": form})


@login_required
@require_safe
def download_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk)
    # The name's extension is always the checked type's, whatever was uploaded.
    filename = display_name(document.original_name, document.content_type)
    return serve_file(document.file, content_type=document.content_type, filename=filename)


@login_required
def remove_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk, change=True)
    if request.method == "POST":
        try:
            services.remove_document(document, by=request.user)
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The document is removed."))
        return redirect("members:mine")
    return render(request, "members/confirm_remove_document.html", {"document": document})


@login_required
def submit_application(request: HttpRequest) -> HttpResponse:
    organisation = _own_or_404(request)
    application = organisation.applications.open().first()
    if application is None or not application.is_editable:
        return redirect("members:mine")
    if request.method == "POST":
        try:
            services.submit_application(application, by=request.user)
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Your application is sent to the steering committee. Thank you!")
            )
        return redirect("members:mine")
    context = {
        "organisation": organisation,
        "application": application,
        "missing": services.missing_documents(organisation),
    }
    return render(request, "members/confirm_submit.html", context)


@login_required
@require_POST
def apply_again(request: HttpRequest) -> HttpResponse:
    organisation = _own_or_404(request)
    try:
        services.apply_again(organisation, by=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A new application is started: update it, then submit it."))
    return redirect("members:mine")


@login_required
def invite_representative(request: HttpRequest) -> HttpResponse:
    organisation = _own_or_404(request)
    # A representative asked for an invitation follows a link with the address filled in.
    form = InvitationForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_representative(
                organisation, by=request.user, email=form.cleaned_data["email"]
            )
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("An invitation is sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("members:mine")
    return render(request, "members/invite.html", {"form": form})


@login_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            organisation = services.accept_invitation(token, user=request.user)
        except MembershipError as error:
            messages.error(request, str(error))
            return redirect("home")
        messages.success(
            request, _("You now represent %(organisation)s.") % {"organisation": organisation}
        )
        return redirect("members:mine")
    return render(request, "members/accept_invitation.html", {"token": token})


# The steering committee's side ----------------------------------------------


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    require_reviewer(request.user)
    applications = Application.objects.awaiting_decision().reviewable_by(request.user)

    # The whole queue as plain values, in one query (it holds tens of applications,
    # not thousands): its length, its page, and the version its table is kept
    # under, drawn once per state of what it lists for every reviewer who sees the
    # same rows. The applications themselves are read only to draw it.
    queue = applications.values_list(
        "pk", "status", "votes_cast", "submitted_at",
        "organisation__name", "organisation__acronym", "organisation__region",
    )  # fmt: skip
    page, query = page_of(request, list(queue))
    now = timezone.now()
    version = version_of_rows(
        page.paginator.count,
        [(*row, row[3] and (now - row[3]).days) for row in page],
    )
    url = url_for_each("members:application")
    rows = SimpleLazyObject(
        lambda: [
            (application, url(application.pk))
            for application in applications.filter(pk__in=[row[0] for row in page])
        ]
    )
    context = {"page": page, "query": query, "rows": rows, **cached_part(request, version)}
    return render(request, "members/queue.html", context)


@login_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    if not can_review(request.user):
        return redirect("members:mine")
    return _show_application(request, application)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk, decide=True)
    form = VoteForm(request.POST)
    if not form.is_valid():
        # Shown again with the errors beside their fields and every choice kept.
        return _show_application(request, application, vote_form=form)
    try:
        services.cast_vote(application, voter=request.user, **form.cleaned_data)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your vote is recorded."))
    return redirect("members:application", pk=application.pk)


def _show_application(
    request: HttpRequest, application: Application, *, vote_form: VoteForm | None = None
) -> HttpResponse:
    organisation = application.organisation
    own_vote = Vote.objects.filter(application=application, voter=request.user).first()
    if vote_form is None:
        initial = {"choice": own_vote.choice, "comment": own_vote.comment} if own_vote else None
        vote_form = VoteForm(initial=initial)
    context = {
        "application": application,
        "organisation": organisation,
        "documents": organisation.documents.all(),
        "votes": application.votes.select_related("voter"),
        "history": history_of(application, for_applicant=False),
        "quorum": services.approval_quorum(),
        "can_decide": may_decide(request.user, application),
        "vote_form": vote_form,
        "own_vote": own_vote,
    }
    return render(request, "members/application_detail.html", context)


@login_required
def request_information(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk, decide=True)
    form = InformationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_more_information(
                application, by=request.user, message=form.cleaned_data["message"]
            )
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The application is returned to its applicant."))
        return redirect("members:application", pk=application.pk)
    return render(
        request, "members/request_information.html", {"application": application, "form": form}
    )


@login_required
@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    require_reviewer(request.user)
    organisations = (
        Organisation.objects.exclude(membership_status=MembershipStatus.NONE)
        .reviewable_by(request.user)
        .order_by("name")
    )
    page, query = page_of(request, organisations)
    url = url_for_each("members:organisation")
    rows = [(organisation, url(organisation.pk)) for organisation in page]
    context = {"page": page, "query": query, "rows": rows}
    return render(request, "members/organisation_list.html", context)


@login_required
@require_safe
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk)
    context = {
        "organisation": organisation,
        "applications": organisation.applications.all(),
        "documents": organisation.documents.all(),
        "history": history_of(organisation, for_applicant=False),
        "can_decide": may_decide_any(request.user),
        "moves": services.possible_membership_moves(organisation),
    }
    return render(request, "members/organisation_detail.html", context)


@login_required
def change_membership(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, decide=True)
    if action not in services.possible_membership_moves(organisation):
        raise Http404
    form = MembershipDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_membership(
                organisation, action=action, by=request.user, reason=form.cleaned_data["reason"]
            )
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The decision is recorded."))
        return redirect("members:organisation", pk=organisation.pk)
    context = {"organisation": organisation, "action": action, "form": form}
    return render(request, "members/confirm_membership_change.html", context)


# The public directory ---------------------------------------------------------


@login_not_required
@require_safe
@cached_for_visitors(of="directory")
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    organisations = Organisation.objects.listed()
    if form.is_valid():
        organisations = organisations.search(**form.cleaned_data)
    elif form.is_bound:
        # The form says which value is unknown; a full list under it would look filtered.
        organisations = organisations.none()
    page, query = page_of(request, organisations.prefetch_related("themes"))
    context = {"form": form, "page": page, "query": query}
    return render(request, "members/directory.html", context)
