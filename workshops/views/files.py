"""A workshop's documents and photos: added, downloaded through a permission check, deleted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.uploads import EXTENSIONS, serve_file
from workshops.files import FILE_KINDS
from workshops.permissions import get_file_for, get_workshop_for
from workshops.services.files import add_file, delete_file
from workshops.views.workshops import confirm


@require_http_methods(["GET", "POST"])
def file_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    file_kind = FILE_KINDS[kind]
    workshop = get_workshop_for(request.user, pk, edit=True)
    form = file_kind.form(
        request.POST or None, request.FILES or None, images_only=file_kind.images_only
    )
    if request.method == "POST" and form.is_valid():
        add_file(workshop, kind=kind, by=request.user, **form.cleaned_data)
        messages.success(request, _("File added."))
        return redirect("workshops:manage", pk=pk)
    context = {"workshop": workshop, "form": form, "file_kind": file_kind}
    return render(request, "workshops/file_add.html", context)


@login_not_required
@require_safe
def file_download(request: HttpRequest, pk: int, kind: str, file_pk: int) -> HttpResponse:
    item = get_file_for(request.user, FILE_KINDS[kind].model, pk, file_pk)
    filename = (slugify(str(item)) or kind) + EXTENSIONS.get(item.content_type, "")
    return serve_file(
        item.file,
        content_type=item.content_type,
        filename=filename,
        inline=item.content_type.startswith("image/"),
    )


@require_http_methods(["GET", "POST"])
def file_delete(request: HttpRequest, pk: int, kind: str, file_pk: int) -> HttpResponse:
    item = get_file_for(request.user, FILE_KINDS[kind].model, pk, file_pk, edit=True)
    if request.method == "POST":
        delete_file(item, by=request.user)
        messages.success(request, _("File deleted."))
        return redirect("workshops:manage", pk=pk)
    return confirm(
        request,
        item.workshop,
        _("Delete the file “%(name)s”?") % {"name": item},
        verb=_("Delete"),
    )
