/**
 * Local tooling (sandbox, CLI, bench) runs on this machine's Node 20, while the deployed Lambdas run
 * nodejs22.x. The AWS SDK's Node-version notice is known and would only clutter local output.
 */
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}
