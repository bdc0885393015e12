"""The check-in network rule (pure): what a lesson stores from the block's network setting, and
who it admits."""
import pytest

from vn_online_teaching.attendance import roll


@pytest.mark.parametrize("entries, rule", [
    (None, None), ([], None), (["", "  "], None),  # nothing listed: any network
    (["203.0.113.9/24"], ("203.0.113.0/24",)),  # written as the network it names
    (["203.0.113.0/24", " 2001:db8::/32 "], ("203.0.113.0/24", "2001:db8::/32")),
    (["not-a-network", "10.1.0.0/16"], ("10.1.0.0/16",)),  # a bad entry is left out
    (["not-a-network"], ()),  # and with none left the rule admits nobody, not everybody
])
def test_network_rule(entries, rule):
    assert roll.network_rule(entries) == rule


def test_an_address_is_admitted_only_inside_a_listed_network():
    networks = roll.parse_networks(roll.network_rule(["203.0.113.0/24", "2001:db8::/32"]))
    assert roll.address_allowed("203.0.113.200", networks) and roll.address_allowed("2001:db8::7", networks)
    assert not roll.address_allowed("198.51.100.7", networks) and not roll.address_allowed("", networks)
    assert not roll.address_allowed("not-an-address", networks)


@pytest.mark.parametrize("agent, device", [
    ("Mozilla/5.0 (Linux; Android 14; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
     "Android · Chrome"),
    ("Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 Zalo android/12",
     "Android · Zalo"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/128.0 coc_coc_browser/128.0 Safari/537.36",
     "Windows · Cốc Cốc"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1",
     "iPhone · Safari"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/129.0 Safari/537.36 Edg/129.0", "Windows · Edge"),
    ("curl/8.5.0", ""), ("", ""), (None, ""),
])
def test_the_device_a_check_in_came_from(agent, device):
    assert roll.device_of(agent) == device
