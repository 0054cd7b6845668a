# fish completion for redislint
set -l cmds check calls keys rules rule
complete -c redislint -f -n "not __fish_seen_subcommand_from $cmds" -a check -d 'lint files and directories'
complete -c redislint -f -n "not __fish_seen_subcommand_from $cmds" -a calls -d 'list the Redis commands the code sends'
complete -c redislint -f -n "not __fish_seen_subcommand_from $cmds" -a keys -d 'the keyspace the code uses'
complete -c redislint -f -n "not __fish_seen_subcommand_from $cmds" -a rules -d 'list all rules'
complete -c redislint -f -n "not __fish_seen_subcommand_from $cmds" -a rule -d "show a rule's documentation"
complete -c redislint -n "not __fish_seen_subcommand_from $cmds" -l version -d 'print the version'
complete -c redislint -l help -d 'show help'
complete -c redislint -n "__fish_seen_subcommand_from rule" -f -a "(redislint rules 2>/dev/null | awk 'NR>1 {print \$1}')"
complete -c redislint -n "__fish_seen_subcommand_from check" -l format -x -a 'text json sarif github' -d 'output format'
complete -c redislint -n "__fish_seen_subcommand_from check" -s o -l output -r -d 'write the report to a file'
complete -c redislint -n "__fish_seen_subcommand_from check" -l select -x -a "(redislint rules 2>/dev/null | awk 'NR>1 {print \$1}')" -d 'only these rules'
complete -c redislint -n "__fish_seen_subcommand_from check" -l ignore -x -a "(redislint rules 2>/dev/null | awk 'NR>1 {print \$1}')" -d 'skip these rules'
complete -c redislint -n "__fish_seen_subcommand_from check" -l exit-zero -d 'exit 0 even with findings'
complete -c redislint -n "__fish_seen_subcommand_from check" -l color -x -a 'auto always never' -d 'colour'
complete -c redislint -n "__fish_seen_subcommand_from check" -s j -l jobs -x -d 'worker threads'
complete -c redislint -n "__fish_seen_subcommand_from check" -s q -l quiet -d 'one line per finding'
complete -c redislint -n "__fish_seen_subcommand_from check" -l statistics -d 'count findings per rule'
complete -c redislint -n "__fish_seen_subcommand_from check" -l stdin-filename -r -d 'name of the file read from stdin'
complete -c redislint -n "__fish_seen_subcommand_from check" -l redis-py-version -x -d 'redis-py version of the code'
complete -c redislint -n "__fish_seen_subcommand_from check" -l exclude -r -d 'skip matching paths'
complete -c redislint -n "__fish_seen_subcommand_from check" -l force-exclude -d 'exclude named files too'
complete -c redislint -n "__fish_seen_subcommand_from check" -l cluster -d 'the code runs against Redis Cluster'
