"""The URL patterns our blocks' addresses are built from, copied from the platform so that
``reverse`` gives what the LMS and Studio give.

- openedx-platform lms/urls.py: ``xblock_handler``, ``xblock_handler_noauth`` (course and usage
  patterns of lms/envs/common.py: ``COURSE_ID_PATTERN``, ``USAGE_ID_PATTERN``), ``jump_to``,
  ``jump_to_id``, ``xblock_resource_url``;
- openedx-platform cms/urls.py: ``preview_handler``.

The views are not the platform's: the runtimes of runtime.py call handlers directly, through
``LmsRuntime.invoke_handler`` (the checks of block_render._invoke_xblock_handler).
"""
from django.http import Http404
from django.urls import re_path

COURSE_KEY_PATTERN = r'(?P<course_key_string>[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+)'
COURSE_ID_PATTERN = COURSE_KEY_PATTERN.replace('course_key_string', 'course_id')
USAGE_ID_PATTERN = r'(?P<usage_id>(?:i4x://?[^/]+/[^/]+/[^/]+/[^@]+(?:@[^/]+)?)|(?:[^/]+))'


def not_served(request, *args, **kwargs):
    raise Http404("the platform tier calls handlers through its runtimes")


urlpatterns = [
    re_path(r'^courses/{}/jump_to/(?P<location>.*)$'.format(COURSE_ID_PATTERN), not_served, name='jump_to'),
    re_path(r'^courses/{}/jump_to_id/(?P<module_id>.*)$'.format(COURSE_ID_PATTERN), not_served, name='jump_to_id'),
    re_path(
        r'^courses/{course_key}/xblock/{usage_key}/handler/(?P<handler>[^/]*)(?:/(?P<suffix>.*))?$'.format(
            course_key=COURSE_ID_PATTERN,
            usage_key=USAGE_ID_PATTERN,
        ),
        not_served,
        name='xblock_handler',
    ),
    re_path(
        r'^courses/{course_key}/xblock/{usage_key}/handler_noauth/(?P<handler>[^/]*)(?:/(?P<suffix>.*))?$'.format(
            course_key=COURSE_ID_PATTERN,
            usage_key=USAGE_ID_PATTERN,
        ),
        not_served,
        name='xblock_handler_noauth',
    ),
    re_path(r'xblock/resource/(?P<block_type>[^/]+)/(?P<uri>.*)$', not_served, name='xblock_resource_url'),
    re_path(r'^preview/xblock/(?P<usage_key_string>.*?)/handler/(?P<handler>[^/]*)(?:/(?P<suffix>.*))?$',
            not_served, name='preview_handler'),
]
