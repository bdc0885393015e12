"""The bare handler: what any handler writing one row must do, as a plain Django view served by the
same gunicorn as the blocks. The same CSRF check, the same JSON body as a check-in (``{"lesson"}``
checked against the attendance block's CHECK_IN_FIELDS), the student named by ``?student=`` as the
workbench names them, one ``Mark.objects.get_or_create(lesson, user_key)`` (the table and unique key
a check-in writes), a JSON answer. No XBlock runtime, no roster, no window: the floor a check-in is
measured against (bench/checkin.py's bare block, without the runtime)."""
import json

from django.db import transaction
from django.http import JsonResponse

from vn_online_teaching.attendance.block import CHECK_IN_FIELDS
from vn_online_teaching.attendance.models import Mark
from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.validation import validate


def write_one_row(request):
    if request.method != "POST":
        return JsonResponse({"error": "method"}, status=405)
    try:
        data = validate(json.loads(request.body or b"{}"), CHECK_IN_FIELDS)
    except (ValueError, RequestError):
        return JsonResponse({"error": "bad_request"}, status=400)
    user_key = request.GET.get("student", "")
    with transaction.atomic():
        mark, created = Mark.objects.get_or_create(lesson_id=data["lesson"], user_key=user_key,
                                                   defaults={"status": "present", "source": "checkin"})
    return JsonResponse({"id": mark.pk, "created": created})
