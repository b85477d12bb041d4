"""公益性岗位 (issue 17 item 1): posts with places published by the 旗县市, citizens' 报名 (opening or
joining the public_welfare_post case), placement that takes one place atomically, the monthly subsidy
records and the three-year limit with its exceptions (000 二; 003 公益性岗位安置)."""
