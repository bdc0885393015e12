"""The workbench's user service for the demo: ``?student=<username>`` becomes a demo person with
the same ``edx-platform.*`` attributes the LMS user service gives, so ``core.actors`` takes one
path in both runtimes. Unknown ids are anonymous learners without a name."""
from xblock.reference.user_service import UserService, XBlockUser

from .people import PEOPLE


class DemoUserService(UserService):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.runtime = None

    def get_current_user(self):
        user_id = getattr(self.runtime, "user_id", None)
        user = XBlockUser(is_current_user=True)
        if not user_id or user_id == "none":
            user.opt_attrs["edx-platform.is_authenticated"] = False
            return user
        person = PEOPLE.get(user_id)
        user.opt_attrs.update({
            "edx-platform.user_id": user_id,
            "edx-platform.username": user_id,
            "edx-platform.user_role": person[2] if person else "student",
            "edx-platform.user_is_staff": False,
            "edx-platform.is_authenticated": True,
        })
        if person:
            user.full_name = person[0]
            user.emails = [person[1]]
        return user
