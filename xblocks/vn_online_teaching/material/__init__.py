"""approved_material: learning material students see only after the subject group has passed it
and the head of school has approved it (Circular 09/2021; docs/circular-09.md, learning materials)."""
