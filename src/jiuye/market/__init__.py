"""The labour market (四位一体 platform): job seekers, employers, posts, occupations (国家职业分类大典),
search, two-sided matching, applications, notifications and statistics. A domain beside `cases/`:
it imports store/, screening/ and knowledge/, never web/."""
