"""`jiuye batch` (a whole roster against the rules, on this machine or a Dask cluster: results, rejected rows with their
reasons, a summary) and `jiuye synth` (synthetic rosters for benchmarks and demos)."""
from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from jiuye.cli_support import _as_of, _labels, _print_json, err, out


def batch_cmd(
    input_path: str = typer.Argument(..., metavar="INPUT", help="名册：.csv（UTF-8 或 GBK，自动识别）、.xlsx 或 .parquet"),
    output: str = typer.Option(..., "--out", help="结果文件（.csv / .xlsx / .parquet）；旁边另写 OUTPUT.rejected.<扩展名>、OUTPUT.summary.json 和图表"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断（默认今天）"),
    subject: str = typer.Option("person", "--subject", help="person（参保人员、失业登记人员）或 enterprise（参保企业）"),
    mapping: Optional[str] = typer.Option(None, "--mapping", help="表头映射文件（YAML：columns: {表头: 字段}），补充 data/batch/columns.yaml"),
    engine: str = typer.Option("local", "--engine", help="local（本机）或 dask（dask.distributed 集群）"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786；不填则在本机启动"),
    workers: Optional[int] = typer.Option(None, "--workers", help="Dask 工作进程数（本机集群默认 2；远程集群：等待这么多个就绪）"),
    chunk_size: int = typer.Option(100_000, "--chunk-size", help="每块行数（内存随块大小增长，与文件大小无关）"),
    resume: bool = typer.Option(False, "--resume", help="继续上次中断的运行，跳过已完成的块"),
    sets: Optional[list[str]] = typer.Option(None, "--set", help="假设分析：参数路径=新数值（自评估日期所在月起），可多次使用"),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="CSV 输出编码：utf-8-sig（Excel 可直接打开）、utf-8 或 gbk"),
    no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条"),
    as_json: bool = typer.Option(False, "--json", help="结束时输出 summary（JSON）"),
) -> None:
    """批量筛查（免申即享）：整份名册逐行对照政策规则，输出每人每项政策的结论、金额，以及无法读取的行和原因。"""
    from pathlib import Path

    from jiuye.batch import BatchError, Options, run

    day = _as_of(as_of)
    if engine not in ("local", "dask"):
        err.print(f"[red]--engine 应为 local 或 dask，而不是「{engine}」[/red]")
        raise typer.Exit(2)
    if encoding.lower() not in ("utf-8-sig", "utf-8", "gbk", "gb18030"):
        err.print(f"[red]--encoding 应为 utf-8-sig、utf-8 或 gbk，而不是「{encoding}」[/red]")
        raise typer.Exit(2)
    opts = Options(input=Path(input_path), output=Path(output), as_of=day, subject=subject,
                   mapping=Path(mapping) if mapping else None, engine=engine, scheduler=scheduler, workers=workers,
                   chunk_size=chunk_size, resume=resume, sets=list(sets or []), encoding=encoding.lower(),
                   progress=not no_progress and not as_json)
    try:
        outcome = run(opts)
    except BatchError as exc:
        err.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err.print(f"[yellow]已中断：没有写出半截的结果文件；已完成的块保存在 {Path(output).with_suffix('')}.work/，"
                  "加 --resume 重新运行即可继续[/yellow]")
        raise typer.Exit(130)
    s = outcome.summary
    for m in outcome.messages:
        err.print(f"[yellow]{m}[/yellow]", soft_wrap=True)
    if as_json:
        _print_json(s)
    else:
        out.print(f"输入 {s['input_rows']:,} 行：可计算 {s['accepted_rows']:,} 行，无法读取 {s['rejected_rows']:,} 行；"
                  f"结果 {s['output_rows']:,} 行；用时 {s['seconds']:.1f} 秒（{s['rows_per_second'] or 0:,} 行/秒）")
        t = Table(title=f"各项政策（截至 {s['as_of']}）")
        for col in ("政策", "符合", "还需要信息", "金额合计（元）", "单位"):
            t.add_column(col)
        for v in s["policies"].values():  # the Chinese name only: an id is no use to the person reading
            t.add_row(v["name"], f"{v['eligible']:,}", f"{v['needs_information']:,}",
                      f"{v['total']:,.2f}" if v["amount_known"] else "", v["unit"])
        out.print(t)
        if s.get("what_if"):
            d = s["what_if"]["difference"]
            w = Table(title="假设分析：改变参数后 − 现行（元）")
            for col in ("政策", "符合人数变化", "金额变化"):
                w.add_column(col)
            for v in d["policies"].values():
                if v["eligible"] or v["total_fen"]:
                    w.add_row(v["name"], f"{v['eligible']:+,}", f"{v['total']:+,.2f}")
            w.add_row("[bold]合计[/bold]", "", f"[bold]{d['total']:+,.2f}[/bold]")
            out.print(w)
            for dist, v in d["districts"].items():
                if v["total_fen"]:
                    out.print(f"  {dist}：{v['total']:+,.2f} 元")
        out.print(f"结果：{outcome.paths.output}\n无法读取的行：{outcome.paths.rejected}\n汇总：{outcome.paths.summary}"
                  + (f"\n图表：{outcome.paths.chart}" if s.get("chart") else ""))
    if s["input_rows"] and not s["accepted_rows"]:
        raise typer.Exit(1)


def synth_cmd(
    persons: int = typer.Option(0, "--persons", help="人数"),
    enterprises: int = typer.Option(0, "--enterprises", help="企业数"),
    seekers: int = typer.Option(0, "--seekers", help="求职登记份数（人岗匹配用，写入 <名>.seekers.<扩展名>）"),
    postings: int = typer.Option(0, "--postings", help="岗位数（写入 <名>.postings.<扩展名>）"),
    seed: int = typer.Option(0, "--seed", help="随机种子（同样的参数生成同样的文件）"),
    output: str = typer.Option(..., "--out", help="输出文件（.csv / .xlsx / .parquet）；人员和企业都要时，企业写入 <名>.enterprises.<扩展名>"),
    as_of: Optional[str] = typer.Option("2021-06-15", "--as-of", help="名册的日期（年龄、证书和待遇日期都以此为准）"),
    bad_share: float = typer.Option(0.02, "--bad-share", help="故意写错的行所占比例（校验码错、性别与身份证不符、不存在的日期、重复身份证号……）"),
    encoding: str = typer.Option("utf-8", "--encoding", help="CSV 编码：utf-8 或 gbk"),
) -> None:
    """生成合成名册（兴安盟六个旗县市、合法身份证号和统一社会信用代码，并含一定比例的错误行），用于测试和基准。"""
    from pathlib import Path

    from jiuye.batch import synth
    from jiuye.batch.io import BatchInputError, format_of

    if persons <= 0 and enterprises <= 0 and seekers <= 0 and postings <= 0:
        err.print("[red]请用 --persons、--enterprises、--seekers 或 --postings 指定要生成多少行[/red]")
        raise typer.Exit(2)
    if not 0 <= bad_share <= 1:
        err.print("[red]--bad-share 应在 0 到 1 之间[/red]")
        raise typer.Exit(2)
    path = Path(output)
    try:
        if path.suffix.lower() not in (".jsonl", ".ndjson") or persons > 0 or enterprises > 0:
            format_of(path)
    except BatchInputError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    day = _as_of(as_of)
    written = []
    if persons > 0:
        table, bad = synth.persons(persons, seed, day, bad_share)
        written.append((synth.write(table, path, encoding), persons, bad))
    if enterprises > 0:
        target = path if persons <= 0 else Path(f"{path.with_suffix('')}.enterprises{path.suffix}")
        table, bad = synth.enterprises(enterprises, seed, bad_share)
        written.append((synth.write(table, target, encoding), enterprises, bad))
    for p, n, bad in written:
        kinds = "、".join(f"{_labels().of('synth_error', k)} {v}" for k, v in bad.items())
        out.print(f"{p}：{n:,} 行，其中故意写错 {sum(bad.values()):,} 行（{kinds}）")
    if seekers > 0 or postings > 0:
        from jiuye.market import synth as market_synth
        from jiuye.market.match_cli import write_rows

        for kind, n, make in (("seekers", seekers, market_synth.seekers), ("postings", postings, market_synth.postings)):
            if n <= 0:
                continue
            target = Path(f"{path.with_suffix('')}.{kind}{path.suffix}")
            table = make(n, seed, day)
            if path.suffix.lower() in (".jsonl", ".ndjson"):
                write_rows(target, table.column_names, [list(r.values()) for r in table.to_pylist()])
            else:
                synth.write(table, target, encoding)
            out.print(f"{target}：{n:,} 行（{'求职登记' if kind == 'seekers' else '岗位'}；字段见 jiuye schema "
                      f"{'seeker' if kind == 'seekers' else 'posting'}）")


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_cmd)
    app.command("synth")(synth_cmd)
