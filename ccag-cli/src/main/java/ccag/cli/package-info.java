/**
 * {@code ccagctl}, the command line of the CCAG admin API.
 *
 * <p>Shape: {@link ccag.cli.Ccagctl} is the root command and entry point; each command group is one class
 * ({@code AuthCommand}, {@code KeysCommand}, ...) whose subcommands are nested classes extending
 * {@link ccag.cli.CliCommand}. A command reads everything from the process through {@code CliEnvironment}
 * (environment variables, home, streams, terminal, clock, HTTP client), so tests run the real command line
 * in-process. Server resolution ({@code Target}: --server, CCAG_SERVER, profile), the stores of the config
 * directory ({@code ConfigStore}, {@code CredentialStore}, written by {@code ConfigFiles#writeAtomically}) and
 * the HTTP client with its error mapping ({@code ApiClient}) are shared by every command.
 *
 * <p>Adding a command group (identity providers, the Claude Code setup) is one more class listed in the
 * root's subcommands. A top-level {@code login} for Claude Code's apiKeyHelper uses {@code target()} and
 * {@code anonymous(...)} for the browser flow and keeps its per-server token cache as another top-level
 * section of {@code credentials.json}, which the stores preserve.
 */
package ccag.cli;
