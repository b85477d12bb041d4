"""Jiuye (就业): the employment-policy and service system of 兴安盟."""

__version__ = "0.1.0"
