"""争议类别: signals of the dispute, the rule, the linear model, its JSON storage, never 非问题."""

from duty_analyzer.hotline.category import (
    BOUNDARY, GRASSROOTS, PROCESS, UNDEFINED, DisputeModel, DisputePrediction, by_rule, rule, shipped_model, signals,
)


def test_signals_follow_what_the_dispute_shows():
    both = signals(["甲局", "乙局"], ["不属我局", "不属我局"], {"甲局", "乙局"}, ["甲局", "乙局"], settled=False, linked=True)
    assert rule(both) == BOUNDARY
    nobody = signals(["甲局"], ["该事项目前没有明确的主管部门"], {"甲局"}, [], settled=False)
    assert rule(nobody) == UNDEFINED
    # No 三定 given covers it and the reason only denies: a misroute to a body outside these 三定, not a gap.
    denied = signals(["甲局"], ["不属于我单位职责"], {"甲局"}, [], settled=False)
    assert rule(denied) == PROCESS
    # Every reason denies and one says no rule assigns it: a gap even where a department's words touch it.
    gap = signals(["甲局", "乙局"], ["不属于我局职责", "尚未明确由哪个部门负责"], {"甲局", "乙局"}, ["甲局"], settled=False)
    assert rule(gap) == UNDEFINED
    assert rule(signals(["甲局", "乙局"], ["不属于我局职责", "不属于我局职责"], {"甲局", "乙局"}, ["甲局"], settled=False)) == PROCESS
    settled = signals(["甲局"], ["请改派"], {"甲局"}, ["乙局"], settled=True, linked=True)
    assert rule(settled) == PROCESS
    down = signals(["甲局", "某某镇人民政府"], ["属地管理"], {"甲局"}, ["甲局"], settled=False)
    assert rule(down) == GRASSROOTS


def test_model_learns_from_dispute_voice_and_round_trips_as_json():
    texts = ["我镇没有执法力量，请县局处理。噪声扰民", "我镇无执法权。违建", "两个部门都说不归自己。垃圾", "都说不归自己管。停车"] * 3
    sigs = [signals(["某镇人民政府"], ["我镇无执法"], set(), ["甲局"], False),
            signals(["某镇人民政府"], ["我镇无执法"], set(), ["甲局"], False),
            signals(["甲局", "乙局"], ["不属"], {"甲局", "乙局"}, ["甲局", "乙局"], False, True),
            signals(["甲局", "乙局"], ["不属"], {"甲局", "乙局"}, ["甲局", "乙局"], False, True)] * 3
    y = [GRASSROOTS, GRASSROOTS, BOUNDARY, BOUNDARY] * 3
    model = DisputeModel().fit(texts, sigs, y)
    again = DisputeModel.from_json(model.to_json({"what": "test"}))
    p = again.predict(texts[:2], sigs[:2])
    assert [x.label for x in p] == [GRASSROOTS, GRASSROOTS]
    assert p[0].runner_up == BOUNDARY and p[0].confidence >= p[0].runner_up_confidence
    assert [x.label for x in model.predict(texts, sigs)] == [x.label for x in again.predict(texts, sigs)]


def test_rule_fallback_gives_a_runner_up_and_the_shipped_model_never_says_non_problem():
    assert by_rule([signals([], ["x"], set(), [], False)])[0].runner_up
    model = shipped_model()
    assert model is not None and "非问题" not in model.classes_ and model.meta["script"] == "bench/build_dispute_model.py"


def test_the_bounce_reasons_say_who_is_named_and_who_cannot_act():
    from duty_analyzer.hotline.category import voice_signals

    town = voice_signals(["某某镇人民政府"], ["我镇没有执法力量，请县局依法处理"])
    assert town["local_bounced"] and town["local_incapable"] and not town["unassigned"]
    nobody = voice_signals(["甲局", "乙局"], ["目前尚无明确规定由哪个部门管理", "该事项未纳入我局职责范围"])
    assert nobody["unassigned"] and nobody["unassigned_all"] and not nobody["local_bounced"]
    division = voice_signals(["甲局"], ["依据本局三定职责分工，该事项由乙局负责，请改派。"], final="乙局")
    assert division["cites_division"] and division["redirect_all"] and not division["unassigned"]
    down = voice_signals(["甲局"], ["请属地街道处理"], final="某某街道办事处")
    assert down["dept_pushes_down"] and down["final_local"]


def test_an_order_that_only_ended_at_a_township_is_no_push_down():
    # Bounced between two departments whose 三定 both cover it, then handed to a township: the dispute is the
    # boundary, not the township's lack of power.
    ended = signals(["甲局", "乙局", "某某镇人民政府"], ["该事项属于乙局职责，请改派", "该事项属于甲局职责，请改派"],
                    {"甲局", "乙局"}, ["甲局", "乙局"],
                    settled=False, bouncers=["甲局", "乙局"], final="某某镇人民政府")
    assert rule(ended) == BOUNDARY
    # The same chain where the township itself bounced it, saying it cannot act, is a push-down.
    town = signals(["甲局", "某某镇人民政府"], ["不属我局", "我镇没有执法力量"], {"甲局"}, ["甲局"],
                   settled=False, bouncers=["甲局", "某某镇人民政府"])
    assert rule(town) == GRASSROOTS


def test_a_township_that_names_the_owner_department_is_a_misroute_not_a_push_down():
    up = signals(["某某镇人民政府"], ["该事项审核权限在县甲局，请转县甲局"], set(), ["甲局"], settled=False,
                 bouncers=["某某镇人民政府"])
    assert up["local_bounced"] and up["redirect_all"]
    assert rule(up) == PROCESS


def test_the_override_decides_whether_the_model_may_replace_the_rule_label():
    # Trained so that the text, not the signals, carries the label: boundary words under township signals.
    texts = ["两个部门都说不归自己。垃圾", "都说不归自己管。停车", "我镇无执法权。违建", "我镇没有执法力量。噪声"] * 3
    town = signals(["某镇人民政府"], ["我镇无执法"], set(), ["甲局"], False)
    model = DisputeModel().fit(texts, [town] * 12, [BOUNDARY, BOUNDARY, GRASSROOTS, GRASSROOTS] * 3)
    assert rule(town) == GRASSROOTS
    trusted = model.predict(["两个部门都说不归自己。垃圾"], [town])[0]
    assert trusted.label == BOUNDARY
    model.override = 1.01  # the rule's label always comes first; the model's choice stays as runner-up
    ruled = model.predict(["两个部门都说不归自己。垃圾"], [town])[0]
    assert ruled.label == GRASSROOTS and ruled.runner_up == BOUNDARY
    assert DisputeModel.from_json(model.to_json({})).override == 1.01


def test_a_units_and_a_reasons_flags_are_read_once_and_say_what_the_patterns_say():
    from duty_analyzer.hotline.category import reason_flags, unit_flags

    assert unit_flags("城关镇人民政府") == (True, True) and unit_flags("市城管局") == (False, False)
    assert unit_flags("属地网格") == (True, False)  # 属地 is local, but no unit's name ends in it
    flags = reason_flags("我镇无执法权，属于市场监管局职责，请转市场监管局处理")
    assert flags.local_reason and flags.incapable and flags.redirect and not flags.division and not flags.unassigned
    assert reason_flags("职责分工尚未明确") == (False, True, False, True, False)
    assert reason_flags("职责分工尚未明确") is reason_flags("职责分工尚未明确")  # cached: exports repeat reasons



def test_a_dispute_category_not_clearly_ahead_is_flagged_for_review():
    clear = DisputePrediction(BOUNDARY, 0.81, PROCESS, 0.12)
    close = DisputePrediction(BOUNDARY, 0.46, PROCESS, 0.40)
    unlikely = DisputePrediction(BOUNDARY, 0.45, PROCESS, 0.10)
    trailing = DisputePrediction(PROCESS, 0.30, BOUNDARY, 0.60)  # the rule's label kept under the model's override
    assert not clear.needs_review()
    assert close.needs_review() and unlikely.needs_review() and trailing.needs_review()


def test_the_label_comes_with_the_rule_branch_that_gave_it():
    from duty_analyzer.hotline.category import dispute_text, rule_with_reason

    denied = signals(["甲局"], ["不属于我单位职责"], {"甲局"}, [], settled=False)
    label, why = rule_with_reason(denied)
    assert label == PROCESS and "派错单" in why
    assert by_rule([denied])[0].reason == why
    settled = signals(["甲局"], ["请改派"], {"甲局"}, ["甲局", "乙局"], settled=True, linked=True)
    assert rule_with_reason(settled) == (PROCESS, "已有职责分工仍被退单：执行问题")
    model = shipped_model()
    sigs = [denied, settled]
    for p, s in zip(model.predict([dispute_text("某小区停水", ["不属于我单位职责"])] * 2, sigs), sigs):
        # the model's label carries the rule's words only when it is the rule's label
        assert p.reason == (rule_with_reason(s)[1] if p.label == rule(s) else "")


def test_reasons_that_say_nobody_is_assigned_in_other_words():
    from duty_analyzer.hotline.category import reason_flags

    for said in ["该事项本县无主管部门", "目前没有牵头单位", "此类场所的监管职责尚不明", "该设施长期无人管理"]:
        assert reason_flags(said).unassigned, said
    for said in ["不属于我单位职责", "请转市场监管部门处理", "诉求人联系方式不明确，无法回访"]:
        assert not reason_flags(said).unassigned, said


def test_a_settled_matter_bounced_in_turn_is_a_judgement_call_for_review():
    once = signals(["甲局"], ["请改派"], {"甲局"}, ["甲局", "乙局"], settled=True, linked=True)
    twice = signals(["甲局", "乙局"], ["请改派", "请改派"], {"甲局", "乙局"}, ["甲局", "乙局"], settled=True, linked=True)
    first, second = by_rule([once, twice])
    assert first.label == second.label == PROCESS
    assert not first.judgement_call and second.judgement_call and second.needs_review()
    assert "边界" in second.reason
    model = shipped_model()
    assert [p.judgement_call for p in model.predict(["请改派。某事", "请改派；请改派。某事"], [once, twice])] == [False, True]
