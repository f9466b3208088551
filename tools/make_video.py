"""Render the "ECE fundamentals" explainer video and its English and French captions.

Dev-only tool (not run by the tests). Needs ffmpeg and espeak-ng (`apt-get install ffmpeg espeak-ng`) and the
Python Playwright package driving Debian's /usr/bin/chromium (never `playwright install`).

    python tools/make_video.py            # writes course_source/media/ece-fundamentals.{mp4,en.vtt,fr.vtt}
    python tools/make_video.py --transcript   # prints the transcript (Markdown, en then fr) and exits
    python tools/make_video.py --slides       # prints the slides' legend (the accordion under the video)

The slides lead with English (the narration is English; French captions and transcript follow it). Until a
French rendering exists, the French page shows what each slide says in French: the accordion printed by
`--slides`, placed under the video in modules/introduction.yaml.

The narration below is also the transcript of the video block in modules/introduction.yaml; keep both in step.
Each sentence is synthesised on its own so that every caption cue is timed to the exact audio it matches.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT / "course_source" / "media"
OUT_STEM = "ece-fundamentals"
WIDTH, HEIGHT = 640, 360
VOICE, WORDS_PER_MINUTE = "en-us", 150
GAP_S = 0.35  # pause between sentences, so the synthetic voice does not run sentences together
SLIDE_PAD_S = 0.8  # extra time on each slide so the picture changes in a pause, not mid-word
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Slide:
    heading_en: str
    heading_fr: str
    visual: str  # an SVG in media/, or "" for a text slide
    points: tuple[tuple[str, str], ...]  # (en, fr) key words shown on a text slide
    sentences: tuple[tuple[str, str], ...]  # (spoken English, French caption)


# The narration script. "## " lines: English then French slide heading; "%% ": diagram media/<stem>.en.svg;
# "** ": a key point "English | French"; "EN " / "FR ": one spoken sentence and its French caption
# (indented lines continue the sentence above). A blank line ends a slide.
SCRIPT = """\
## Engagement-capable environments: the fundamentals
## Milieux propices à l’engagement : les fondements
EN Welcome.
FR Bienvenue.
EN In the next few minutes, we will look at what makes a health organization engagement-capable.
FR Dans les prochaines minutes, nous verrons ce qui rend un organisme de santé propice à
   l’engagement.
EN We will also look at the principles that guide this work.
FR Nous verrons aussi les principes qui guident ce travail.

## What is an engagement-capable environment?
## Qu’est-ce qu’un milieu propice à l’engagement?
** Respect for lived experience | Respect de l’expérience vécue
** Ongoing, active collaboration | Collaboration active et continue
** Better quality, safety and experience of care | Soins de meilleure qualité, plus sûrs, mieux vécus
EN An engagement-capable environment respects the wisdom and lived experience of patients and
   essential care partners, and puts it to work.
FR Un milieu propice à l’engagement respecte la sagesse et l’expérience vécue des patients et des
   partenaires de soins essentiels, et la met à profit.
EN Patients, care partners, staff and leaders work together, actively and over time.
FR Patients, partenaires de soins, personnel et leaders travaillent ensemble, activement et dans la
   durée.
EN Together, they improve the quality, safety and experience of care.
FR Ensemble, ils améliorent la qualité, la sécurité et l’expérience des soins.

## Three interconnected pillars
## Trois piliers interreliés
%% ece-pillars
EN These environments rest on three pillars.
FR Ces milieux reposent sur trois piliers.
EN First, patient partners, who are empowered and supported to contribute.
FR D’abord, les patients partenaires, qui ont le pouvoir et le soutien nécessaires pour contribuer.
EN Second, staff and healthcare teams, who are prepared to work with patients, caregivers and
   communities.
FR Ensuite, le personnel et les équipes de soins, qui sont préparés à travailler avec les patients,
   les personnes proches aidantes et les communautés.
EN Third, leaders, who make engagement a strategic priority.
FR Enfin, les leaders, qui font de l’engagement une priorité stratégique.
EN The pillars depend on each other. If one is missing, the whole structure is weaker.
FR Les piliers dépendent les uns des autres. S’il en manque un, toute la structure est fragilisée.

## Relationships, authenticity, no tokenism
## Relations, authenticité, aucune participation symbolique
** Built on relationships | Fondés sur les relations
** Grounded in authenticity | Ancrés dans l’authenticité
** Free from tokenism | Exempts de participation symbolique
EN Engagement-capable environments are built on relationships, grounded in authenticity, and free
   from tokenism.
FR Les milieux propices à l’engagement sont fondés sur les relations, ancrés dans l’authenticité et
   exempts de participation symbolique.
EN Tokenism is when patients are invited to the table, but their input cannot change anything.
FR La participation symbolique, c’est inviter des patients à la table sans que leur apport puisse
   changer quoi que ce soit.
EN Real partnership means sharing power, and sharing decisions.
FR Un vrai partenariat suppose de partager le pouvoir et les décisions.

## Guiding principles of engagement
## Principes directeurs de l’engagement
** Build relationships | Tisser des relations
** Champion partnerships | Promouvoir les partenariats
** Create safer, inclusive spaces | Créer des espaces plus sûrs et inclusifs
** Act with purpose and consistency | Agir avec intention et constance
** Learn and reflect | Apprendre et réfléchir
** Celebrate and share | Célébrer et partager
EN Six guiding principles shape how partners work together.
FR Six principes directeurs orientent la façon dont les partenaires travaillent ensemble.
EN Build and foster relationships. Champion meaningful partnerships. Create safer and more
   inclusive spaces.
FR Tisser et entretenir des relations. Promouvoir des partenariats significatifs. Créer des espaces
   plus sûrs et plus inclusifs.
EN Act purposefully and consistently. Learn and reflect. And celebrate and share successes.
FR Agir avec intention et constance. Apprendre et réfléchir. Et célébrer et partager les réussites.

## Ways of engaging: a circle, not a ladder
## Façons de s’engager : un cercle, pas une échelle
%% ece-ways-circle
EN There is no single right way to engage.
FR Il n’y a pas une seule bonne façon de s’engager.
EN Partners can be informed, consulted, involved, or collaborated with, and they can also lead.
FR Les partenaires peuvent être informés, consultés, appelés à participer ou à collaborer, et ils
   peuvent aussi diriger.
EN These ways sit on a circle, not a ladder, because each one has value.
FR Ces façons forment un cercle, et non une échelle, parce que chacune a sa valeur.
EN The right choice depends on the purpose of the work.
FR Le bon choix dépend du but du travail.

## Support at three levels
## Du soutien à trois niveaux
%% ece-support-levels
EN Engagement needs support at three levels.
FR L’engagement a besoin de soutien à trois niveaux.
EN Individuals need skills, connections, and clear roles.
FR Les personnes ont besoin de compétences, de liens et de rôles clairs.
EN Organizations need engagement leaders, shared training, fair compensation, and evaluation.
FR Les organismes ont besoin de leaders de l’engagement, de formation conjointe, d’une rémunération
   équitable et d’évaluation.
EN And the wider system needs hubs and communities of practice, where people learn from one
   another.
FR Et le système a besoin de carrefours et de communautés de pratique, où l’on apprend les uns des
   autres.

## Start, reflect, keep learning together
## Commencer, réfléchir, continuer d’apprendre ensemble
** Which pillar fits your role? | Quel pilier correspond à votre rôle?
** What is one step for this month? | Quel premier pas faire ce mois-ci?
EN Building an engagement-capable environment takes time, intention, and trust.
FR Bâtir un milieu propice à l’engagement demande du temps, de l’intention et de la confiance.
EN Every team starts somewhere.
FR Chaque équipe commence quelque part.
EN As you continue, ask yourself: which pillar do you connect with most?
FR En poursuivant, demandez-vous : à quel pilier vous identifiez-vous le plus?
EN And what is one step you could take this month?
FR Et quel premier pas pourriez-vous faire ce mois-ci?
"""


def parse_script(text: str) -> tuple[Slide, ...]:
    """Turn SCRIPT into slides; stop on any line that does not fit the format."""
    slides: list[Slide] = []
    for n, block in enumerate(text.strip().split("\n\n"), 1):
        headings: list[str] = []
        visual = ""
        points: list[tuple[str, str]] = []
        spoken: list[list[str]] = []  # [tag, text] in order, continuation lines folded in
        for line in block.splitlines():
            tag, rest = line[:2], line[3:]
            if line.startswith("   ") and spoken:
                spoken[-1][1] += " " + line.strip()
            elif tag == "##":
                headings.append(rest)
            elif tag == "%%":
                visual = rest
            elif tag == "**":
                en, fr = rest.split(" | ")
                points.append((en, fr))
            elif tag in ("EN", "FR"):
                spoken.append([tag, rest])
            else:
                sys.exit(f"SCRIPT slide {n}: cannot read line {line!r}")
        tags = [t for t, _ in spoken]
        if len(headings) != 2 or not tags or tags != ["EN", "FR"] * (len(tags) // 2):
            sys.exit(f"SCRIPT slide {n}: needs two headings and EN/FR sentence pairs")
        pairs = tuple((spoken[i][1], spoken[i + 1][1]) for i in range(0, len(spoken), 2))
        slides.append(Slide(headings[0], headings[1], visual, tuple(points), pairs))
    return tuple(slides)


SLIDES = parse_script(SCRIPT)


def run(cmd: list[str]) -> None:
    """Run a command and stop with its output when it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")


def slide_html(slide: Slide) -> str:
    """Return a self-contained HTML page for one slide (bilingual heading, diagram or key points)."""
    if slide.visual:
        body = f'<img src="{(MEDIA / f"{slide.visual}.en.svg").as_uri()}" alt="">'
    else:
        rows = "".join(
            f"<li><span>{html.escape(en)}</span><span lang='fr'>{html.escape(fr)}</span></li>"
            for en, fr in slide.points
        )
        dense = ' class="dense"' if len(slide.points) > 4 else ""  # six principles must fit one slide
        body = f"<ul{dense}>{rows}</ul>" if rows else '<div class="brand">ECE · MPE</div>'
    return f"""<!doctype html><html lang="en"><meta charset="utf-8"><style>
html,body{{margin:0;width:{WIDTH}px;height:{HEIGHT}px;overflow:hidden;background:#fff;
  font-family:"DejaVu Sans",Arial,sans-serif;color:#1a1a1a}}
header{{background:#1d4f91;color:#fff;padding:14px 24px 12px}}
h1{{margin:0;font-size:22px;line-height:1.2}}
p{{margin:4px 0 0;font-size:16px;font-style:italic;color:#dce6f5}}
main{{display:flex;align-items:center;justify-content:center;height:{HEIGHT - 92}px;padding:0 24px}}
img{{max-height:{HEIGHT - 112}px;max-width:{WIDTH - 48}px}}
ul{{list-style:none;margin:0;padding:0;width:100%}}
li{{display:flex;flex-direction:column;border-left:6px solid #0f6e5c;padding:3px 12px;margin:6px 0;
  font-size:17px}}
li span[lang]{{font-size:14px;color:#3d3d3d;font-style:italic}}
.dense li{{margin:2px 0;padding:1px 12px;font-size:15px}} .dense li span[lang]{{font-size:13px}}
.brand{{font-size:44px;font-weight:bold;color:#0f6e5c;letter-spacing:2px}}
</style><body><header><h1>{html.escape(slide.heading_en)}</h1>
<p lang="fr">{html.escape(slide.heading_fr)}</p></header><main>{body}</main></body></html>"""


def render_slides(work: Path) -> list[Path]:
    """Screenshot every slide at the video's size with headless Chromium."""
    from playwright.sync_api import sync_playwright

    paths = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for n, slide in enumerate(SLIDES):
            src = work / f"slide{n:02d}.html"
            src.write_text(slide_html(slide), encoding="utf-8")
            page.goto(src.as_uri())
            page.wait_for_load_state("load")
            out = work / f"slide{n:02d}.png"
            page.screenshot(path=str(out))
            paths.append(out)
        browser.close()
    return paths


def speak(text: str, out: Path) -> tuple[bytes, int]:
    """Synthesise one English sentence; return its PCM frames and frame rate."""
    run(["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(out), text])
    with wave.open(str(out), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit(f"unexpected espeak-ng output format in {out}")
        return w.readframes(w.getnframes()), w.getframerate()


def vtt_time(seconds: float) -> str:
    """Format seconds as a WebVTT timestamp."""
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def wrap(text: str, width: int = 42) -> str:
    """Break a caption into lines of at most `width` characters (two lines read best; more are allowed)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def synthesise(work: Path) -> tuple[Path, list[float], list[tuple[float, float, str, str]]]:
    """Build the narration track; return it, each slide's duration and the timed (start, end, en, fr) cues."""
    pcm = bytearray()
    rate = 0
    cues: list[tuple[float, float, str, str]] = []
    slide_durations: list[float] = []
    n = 0
    for slide in SLIDES:
        slide_start = len(pcm) / 2 / rate if rate else 0.0
        for en, fr in slide.sentences:
            frames, rate = speak(en, work / f"s{n:03d}.wav")
            n += 1
            start = len(pcm) / 2 / rate
            pcm += frames
            cues.append((start, len(pcm) / 2 / rate, en, fr))
            pcm += b"\0\0" * int(GAP_S * rate)
        pcm += b"\0\0" * int(SLIDE_PAD_S * rate)
        slide_durations.append(len(pcm) / 2 / rate - slide_start)
    track = work / "narration.wav"
    with wave.open(str(track), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(pcm))
    return track, slide_durations, cues


def split_cue(start: float, end: float, text: str) -> list[tuple[float, float, str]]:
    """Split a long sentence into cues of at most two lines, timed in proportion to their length."""
    lines = wrap(text).split("\n")
    chunks = ["\n".join(lines[i : i + 2]) for i in range(0, len(lines), 2)]
    total = sum(len(c) for c in chunks)
    cues, at = [], start
    for chunk in chunks:
        step = (end - start) * len(chunk) / total
        cues.append((at, at + step, chunk))
        at += step
    return cues


def write_vtt(path: Path, cues: list[tuple[float, float, str, str]], lang: str) -> None:
    """Write one WebVTT caption file."""
    lines = ["WEBVTT", ""]
    n = 0
    for start, end, en, fr in cues:
        for a, b, text in split_cue(start, end, en if lang == "en" else fr):
            n += 1
            lines += [str(n), f"{vtt_time(a)} --> {vtt_time(b)}", text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def transcript(lang: str) -> str:
    """Return the narration as Markdown, one paragraph per slide, with the slide heading in bold."""
    paras = []
    for slide in SLIDES:
        heading = slide.heading_en if lang == "en" else slide.heading_fr
        text = " ".join(en if lang == "en" else fr for en, fr in slide.sentences)
        stop = "" if heading.endswith(("?", "!")) else "."
        paras.append(f"**{heading}{stop}** {text}")
    return "\n\n".join(paras)


DIAGRAM_NOTE = {
    "en": "Diagram: see the figure of the same name in this module.",
    "fr": "Schéma : voyez la figure du même nom dans ce module.",
}
TITLE_NOTE = {"en": "The title of the video.", "fr": "Le titre de la vidéo."}


def slides_yaml() -> str:
    """Return the accordion block (YAML) that says in each language what every slide shows."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = [
        "      - type: accordion",
        "        title:",
        '          en: "What the video’s slides show"',
        '          fr: "Ce que montrent les diapositives de la vidéo"',
        "        items:",
    ]
    for n, slide in enumerate(SLIDES, 1):
        out += [
            "          - title:",
            f"              en: {q(f'Slide {n}: {slide.heading_en}')}",
            f"              fr: {q(f'Diapositive {n} : {slide.heading_fr}')}",
            "            body:",
        ]
        for i, lang in enumerate(("en", "fr")):
            note = DIAGRAM_NOTE if slide.visual else TITLE_NOTE
            lines = [f"- {p[i]}" for p in slide.points] or [note[lang]]
            out.append(f"              {lang}: |-")
            out += [f"                {line}" for line in lines]
    return "\n".join(out)


def build() -> None:
    """Render slides, narrate, assemble the MP4 and write both caption files."""
    for tool in ("ffmpeg", "espeak-ng"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install ffmpeg espeak-ng")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pngs = render_slides(work)
        track, durations, cues = synthesise(work)
        listing = []
        for png, seconds in zip(pngs, durations, strict=True):
            listing += [f"file '{png}'", f"duration {seconds:.3f}"]
        listing.append(f"file '{pngs[-1]}'")  # the concat demuxer ignores the last duration without this
        (work / "slides.txt").write_text("\n".join(listing) + "\n", encoding="utf-8")
        out = MEDIA / f"{OUT_STEM}.mp4"
        run(
            [
                "ffmpeg",
                "-y",
                "-loglevel",
                "error",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(work / "slides.txt"),
                "-i",
                str(track),
                "-map",
                "0:v",
                "-map",
                "1:a",
                # Main profile, yuv420p and faststart: what every browser and LMS media player can stream.
                "-c:v",
                "libx264",
                "-profile:v",
                "main",
                "-pix_fmt",
                "yuv420p",
                "-tune",
                "stillimage",
                "-r",
                "10",
                "-g",
                "50",
                "-crf",
                "30",
                "-vf",
                f"scale={WIDTH}:{HEIGHT}",
                "-c:a",
                "aac",
                "-b:a",
                "24k",
                "-ac",
                "1",
                "-ar",
                "22050",
                "-t",
                f"{sum(durations):.3f}",
                "-movflags",
                "+faststart",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                str(out),
            ]
        )
    write_vtt(MEDIA / f"{OUT_STEM}.en.vtt", cues, "en")
    write_vtt(MEDIA / f"{OUT_STEM}.fr.vtt", cues, "fr")
    total = cues[-1][1]
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes, narration {total:.1f} s, {len(cues)} cues")


def main() -> None:
    """Parse the command line and build the video (or print its transcript)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcript", action="store_true", help="print the transcript and exit")
    parser.add_argument("--slides", action="store_true", help="print the slides' legend (YAML) and exit")
    args = parser.parse_args()
    if args.transcript:
        print(f"EN:\n{transcript('en')}\n\nFR:\n{transcript('fr')}")
        return
    if args.slides:
        print(slides_yaml())
        return
    build()


if __name__ == "__main__":
    main()
