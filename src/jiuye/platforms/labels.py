"""Chinese names of the audit trail's kinds of event (pages, exports): no code shown to people."""
from __future__ import annotations

EVENT_LABELS = {
    "station_loaded": "从名录文件载入工作站", "station_created": "新增工作站", "station_edited": "修改工作站",
    "station_master_opened": "开通站长账号", "signup_created": "报名", "signup_contact": "联系",
    "signup_identified": "记录身份证号", "signup_recommended": "推荐", "signup_departed": "出发",
    "signup_started": "上岗", "signup_visited": "30天在岗回访", "signup_closed": "结束",
    "signup_withdrawn": "站长撤回", "signup_escalated": "超时未联系，转交旗县市中心",
    "group_created": "建立集体报名", "group_departed": "集体出发", "group_cancelled": "取消集体报名",
}
