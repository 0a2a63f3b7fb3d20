"""Column-name aliases: real exports name the same field in many ways."""

from __future__ import annotations

import re

LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "matter": ("事项名称", "权力名称", "职权名称", "权力事项名称", "权责事项", "职权事项", "具体工作事项", "权力事项", "事项"),
    "sub_item": ("子项名称", "子项", "子项事项", "子项名"),
    "power_type": ("职权类型", "权力类型", "事项类型", "职权类别", "权力类别", "类型"),
    "basis": ("实施依据", "设定依据", "设定和实施依据", "法律依据", "法定依据", "依据"),
    "responsibility": ("责任事项", "责任事项内容", "责任内容", "工作职责"),
    "handling_unit": ("承办机构", "承办科室", "责任处室", "责任科室", "责任股室", "承办处室", "内设机构", "承办单位", "实施机构"),
    "department": ("部门名称", "实施部门", "实施主体", "责任部门", "部门"),
}

HOTLINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "record_id": ("工单编号", "工单号", "受理编号", "工单流水号", "流水号", "编号"),
    "time": ("受理时间", "来电时间", "登记时间", "创建时间", "工单时间", "派单时间", "时间"),
    "request": ("诉求内容", "来电内容", "反映内容", "问题描述", "诉求描述", "工单内容", "诉求详情", "内容"),
    "first_unit": ("首派单位", "首次派发单位", "首派部门", "派发单位", "交办单位", "转办单位", "首次交办单位"),
    "bounce_units": ("退单单位", "退回单位", "退单部门", "退件单位", "回退单位", "退回部门"),
    "bounce_reasons": ("退单理由", "退单原因", "退回原因", "退回理由", "退单说明", "回退原因", "退回说明"),
    "final_unit": ("最终承办单位", "最终处理单位", "实际承办单位", "最终承办部门", "办理单位", "承办单位"),
}


def _norm(name: str) -> str:
    return re.sub(r"[\s*＊:：（）()]+", "", name)


def map_columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → column index. Exact alias first, then a long alias contained in the header ('事项名称（子项）').

    Short aliases (部门, 依据, 内容) only match exactly: '相关部门及职责边界' is not the owning department.
    """
    names = [_norm(h) for h in header]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for field_name, options in aliases.items():
            if field_name in found:
                continue
            for alias in options:
                hit = next(
                    (i for i, n in enumerate(names) if i not in taken and n and (n == alias if exact else len(alias) >= 4 and alias in n)),
                    None,
                )
                if hit is not None:
                    found[field_name] = hit
                    taken.add(hit)
                    break
    return found
