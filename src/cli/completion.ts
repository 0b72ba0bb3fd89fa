// Shell completion scripts for bash, zsh and fish, generated from the commands and their flags:
// the first word completes to a command, later words starting with "-" to that command's flags.
export interface CompletionSpec {
  /** command → its long flags (without dashes). */
  commands: Record<string, string[]>;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

function bash(spec: CompletionSpec): string {
  const cases = Object.entries(spec.commands)
    .map(([c, flags]) => `    ${c}) flags="${flags.map((f) => `--${f}`).join(' ')}" ;;`)
    .join('\n');
  return `# tts completion for bash: add to ~/.bashrc:  source <(tts completion bash)
_tts_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${Object.keys(spec.commands).join(' ')}" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F _tts_complete tts
`;
}

function zsh(spec: CompletionSpec): string {
  return `#compdef tts
# tts completion for zsh: add to ~/.zshrc:  source <(tts completion zsh)
_tts() {
  local -a commands flags
  commands=(${Object.keys(spec.commands).join(' ')})
  if (( CURRENT == 2 )); then compadd -a commands; return; fi
  case $words[2] in
${Object.entries(spec.commands)
  .map(([c, f]) => `    ${c}) flags=(${f.map((x) => `--${x}`).join(' ')}) ;;`)
  .join('\n')}
  esac
  if [[ $PREFIX == -* ]]; then compadd -a flags; else _files; fi
}
compdef _tts tts
`;
}

function fish(spec: CompletionSpec): string {
  const lines = [`# tts completion for fish: tts completion fish > ~/.config/fish/completions/tts.fish`, 'complete -c tts -f'];
  const names = Object.keys(spec.commands).join(' ');
  for (const c of Object.keys(spec.commands)) lines.push(`complete -c tts -n "not __fish_seen_subcommand_from ${names}" -a ${c}`);
  for (const [c, flags] of Object.entries(spec.commands)) {
    for (const f of flags) lines.push(`complete -c tts -n "__fish_seen_subcommand_from ${c}" -l ${f}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  return { bash, zsh, fish }[shell](spec);
}
