// The password policy as the server applies it (src/core/password.c): at least
// 10 characters, three of the four kinds (lower-case, upper-case, digit, other)
// and not containing the user name. Forms check it before sending so the user
// reads the problem next to the input at once; the server checks again and
// decides. One copy here, so the registration and the password change cannot
// drift apart (they had: the change form only checked the length).
export const PASSWORD_RULES = '至少 10 位，包含小写字母、大写字母、数字、其他字符中的至少三类，且不含用户名'

// passwordProblem: '' when `password` meets the policy for `username`, else the
// Chinese sentence saying what is wrong.
export function passwordProblem(password, username = '') {
  if ([...password].length < 10) return '密码至少 10 位。'
  const name = username.trim().toLowerCase()
  if (name && password.toLowerCase().includes(name)) return '密码不能包含用户名。'
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  if (kinds < 3) return '密码须包含小写字母、大写字母、数字、其他字符中的至少三类。'
  return ''
}
