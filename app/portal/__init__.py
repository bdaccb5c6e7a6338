"""The public side of the console (DESIGN §7): plain query modules the portal's views
call. Nothing here returns personal data: each module hands the views only what a
member of the public may read.

- :mod:`.guides`: the matter guides (办事指南), only matters marked public and active;
- :mod:`.disclosure`: the disclosure catalog (政府信息公开目录);
- :mod:`.results`: issued permits (办理结果公开), natural persons' names masked;
- :mod:`.progress`: the lookup by receipt number and query code;
- :mod:`.ratings`: the applicant's rating of a released case (好差评) and its statistics;
- :mod:`.notices`: which written notices (告知书) a case calls for, and their facts;
- :mod:`.bureau`: the bureau's name in the reader's language.
"""
