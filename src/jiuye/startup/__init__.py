"""创业服务 (issue 18 items 4–6): the 创业项目库 (projects submitted, reviewed, published, browsed; a
founder's interest followed up by staff), admission to the league's 创业园孵化基地 (application, review by
two or more reviewers with a conflict-of-interest declaration, decision, tenancy, the base's figures
computed from the records) and the prefilled 创业担保贷款 / 一次性创业补贴 application from either."""
