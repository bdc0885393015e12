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
