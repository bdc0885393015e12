"""The ten classes of the 7:30 burst: one session_attendance block per class (10A1…10A10, the demo
scenario's block with no code and any network), added to the workbench's scenarios in every process
that serves or seeds them (the workbench keeps usage ids in memory, built from these titles)."""
from vn_online_teaching.attendance.scenarios import attendance

CLASSES = tuple(f"10A{n}" for n in range(1, 11))


def title(class_name):
    return f"Bench check-in burst {class_name}"


def register():
    """Add the blocks once per process (after the workbench's own scenarios); {class: usage id}."""
    from workbench.scenarios import SCENARIOS, add_xml_scenario, get_scenarios  # noqa: PLC0415

    get_scenarios()
    usages = {}
    for class_name in CLASSES:
        name = f"bench_burst.{class_name}"
        if name not in SCENARIOS:
            xml = attendance(f"Điểm danh {class_name}").replace('class_name="10A1"', f'class_name="{class_name}"')
            add_xml_scenario(name, title(class_name), xml)
        usages[class_name] = str(SCENARIOS[name].usage_id)
    return usages
