#!/usr/bin/env bash
# Condenses the output of `docker build --progress=plain` (BuildKit) or of the legacy builder, read on stdin, into a
# few lines a waiting user can follow: one per build step, one per compile step ("compiling 12/64 libs/http/src/
# session.cpp"), and "still running" every 30 s of a step's own clock (BuildKit's timestamps) when it prints nothing
# else. From the first sign of a failure (ninja's FAILED:, a CMake error, BuildKit's ERROR) every line is passed
# through, so the compiler's or CMake's message reaches the user whole.
#   DOCKER_BUILDKIT=1 docker build --progress=plain ... 2>&1 | images/service/build-progress.sh
set -euo pipefail

HEARTBEAT=30
# BuildKit: "#9 12.34 text", "#9 [build 5/6] RUN ...", "#9 DONE 3.2s", "#9 CACHED". Kept in variables: bash 3.2.
re_bk_output='^#([0-9]+) ([0-9]+)\.[0-9]+ (.*)$'
re_bk_step='^#([0-9]+) \[([^]]+)\] (.*)$'
re_bk_done='^#([0-9]+) DONE ([0-9.]+s)$'
re_bk_cached='^#([0-9]+) CACHED$'
re_bk_error='^#[0-9]+ ERROR|^ERROR'
# Legacy builder: "Step 5/9 : RUN ...".
re_legacy_step='^Step ([0-9]+/[0-9]+) : (.*)$'
# ninja: "[12/64] Building CXX object libs/http/CMakeFiles/kok_http.dir/src/session.cpp.o".
re_ninja='^\[([0-9]+/[0-9]+)\] (.*)$'
re_failure='^FAILED: |CMake Error|^ninja: build stopped|returned a non-zero code|did not complete successfully'

shorten() {  # shorten TEXT: a step's command on one short line, without RUN's --mount options
  local text="$1"
  text="$(printf '%s' "$text" | tr -s ' \t' '  ' | sed -E 's/--mount=[^ ]+ //g')"
  if ((${#text} > 90)); then text="${text:0:87}..."; fi
  printf '%s' "$text"
}

ninja_what() {  # ninja_what DESCRIPTION: the source or binary a ninja step works on
  local what="$1"
  case "$what" in
    "Building CXX object "*) what="${what#Building CXX object }" ;;
    "Linking CXX executable "*) what="link ${what#Linking CXX executable }" ;;
    "Linking CXX static library "*) what="link ${what#Linking CXX static library }" ;;
  esac
  # libs/http/CMakeFiles/kok_http.dir/src/session.cpp.o -> libs/http/src/session.cpp
  printf '%s' "$what" | sed -E 's#CMakeFiles/[^/]+\.dir/##; s#\.(o|obj)$##'
}

failed=false
step=""        # BuildKit id of the step whose header was printed last
announced=""   # BuildKit ids whose header was printed, space-separated
next_beat=$HEARTBEAT
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line%$'\r'}"
  if $failed; then
    if [[ "$line" =~ $re_bk_output ]]; then printf '%s\n' "${BASH_REMATCH[3]}"; else printf '%s\n' "$line"; fi
    continue
  fi
  text="$line" id="" seconds=""
  if [[ "$line" =~ $re_bk_output ]]; then
    id="${BASH_REMATCH[1]}" seconds="${BASH_REMATCH[2]}" text="${BASH_REMATCH[3]}"
  fi
  if [[ "$text" =~ $re_failure || ( -z "$id" && "$line" =~ $re_bk_error ) ]]; then
    failed=true
    printf '%s\n' "$text"
    continue
  fi
  if [[ -z "$id" && "$line" =~ $re_bk_step ]]; then
    id="${BASH_REMATCH[1]}"
    case "${BASH_REMATCH[3]}" in
      RUN* | COPY* | FROM*) ;;
      *) continue ;;  # WORKDIR, USER, internal steps: nothing to wait for
    esac
    # BuildKit repeats a step's header when its output resumes after another step's: announce it once.
    if [[ "$id" != "$step" ]]; then step="$id" next_beat=$HEARTBEAT; fi
    case " $announced " in *" $id "*) continue ;; esac
    announced="$announced $id"
    printf 'step %s: %s\n' "${BASH_REMATCH[2]}" "$(shorten "${BASH_REMATCH[3]}")"
  elif [[ -z "$id" && "$line" =~ $re_bk_done ]]; then
    case " $announced " in *" ${BASH_REMATCH[1]} "*) printf '  done in %s\n' "${BASH_REMATCH[2]}" ;; esac
  elif [[ -z "$id" && "$line" =~ $re_bk_cached ]]; then
    :
  elif [[ -z "$id" && "$line" =~ $re_legacy_step ]]; then
    printf 'step %s: %s\n' "${BASH_REMATCH[1]}" "$(shorten "${BASH_REMATCH[2]}")"
  elif [[ "$text" =~ $re_ninja ]]; then
    printf 'compiling %s %s\n' "${BASH_REMATCH[1]}" "$(ninja_what "${BASH_REMATCH[2]}")"
  elif [[ -n "$seconds" && "$id" == "$step" ]] && ((seconds >= next_beat)); then
    printf '  still running: %s s\n' "$next_beat"
    while ((next_beat <= seconds)); do next_beat=$((next_beat + HEARTBEAT)); done
  fi
done
