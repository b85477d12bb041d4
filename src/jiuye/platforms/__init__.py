"""The league's recruitment platforms as working services (issue 16), beside jiuye.market.

Item 1, 兴安打工直通车 (dagong): the station registry, sign-up with name and phone (no account), the
24-hour follow-up clock with escalation, each worker's path to 30 days at work, group sign-ups, and
the station and district tables. The platform calls the market's service functions (posts, 求职登记,
职业介绍, the outbox), never its tables, and never jiuye.web.
"""
