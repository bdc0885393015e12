"""The settings every block's Studio form shares (title, class, subject) come from one template
(templates/vn_online_teaching/_class_fields.html): each form shows them with the block's values."""
import pytest

from helpers import block_as, scenario_usage


@pytest.mark.parametrize("prefix", ["Điểm danh: Toán 10A1", "Kiểm tra định kỳ"])
def test_the_studio_form_shows_the_blocks_title_class_and_subject(workbench, prefix):
    block = block_as(scenario_usage(prefix), "gv_lan")
    html = block.studio_view({}).content
    assert f'name="display_name" required maxlength="255" value="{block.display_name}"' in html
    assert 'name="class_name" maxlength="20" value="10A1"' in html
    assert 'name="subject" maxlength="100" value="Toán"' in html
