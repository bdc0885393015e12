"""The xblock-sdk workbench demo: settings, Vietnamese demo people and data. Not used in Open edX."""
