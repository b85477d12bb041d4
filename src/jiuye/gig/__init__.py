"""零工市场 (issue 16, item 2): odd jobs and day labour, on the labour-market core.

A domain of its own beside jiuye.market and jiuye.platforms (which holds 打工直通车): workers post
their availability (工种 resolved through the market's occupation classification, place, days, daily
rate), people post short jobs (an employer, or anyone with a phone for a household job), the two are
matched by place and 工种, both sides accept before either sees the other's phone, both confirm
"worked" and "paid", and a day the worker says was not paid becomes a wage-arrears case (the cases
service, procedure data/procedures/gig_wage_arrears.yaml) for the district centre, escalated on the
task queue when nobody handles it. It calls other domains' service functions (cases, market's
occupations and outbox), never their tables, and never jiuye.web.
"""
